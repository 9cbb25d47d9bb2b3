/**
 * The rules of a router's options, stated once: {@code FlagRouter.Builder} checks them when it
 * builds, and {@code RoutingSettings} when it reads settings, naming the setting as the user wrote
 * it ({@link dev.flagroute.internal.options.OptionProblem#option()} says which option broke a
 * rule). Not API: the module exports this package to no other module.
 */
package dev.flagroute.internal.options;
