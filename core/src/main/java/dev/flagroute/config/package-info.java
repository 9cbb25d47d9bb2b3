/**
 * The one configuration model: {@link dev.flagroute.config.RoutingSettings} reads every
 * {@link dev.flagroute.config.Setting} from a {@link dev.flagroute.config.SettingSource} (servlet
 * init parameters, Spring properties, command-line flags), validates it once, and reports problems
 * as {@link dev.flagroute.config.InvalidSettingException} naming the setting as the user wrote it;
 * {@link dev.flagroute.config.TargetingKey} says where a request's targeting key comes from.
 */
package dev.flagroute.config;
