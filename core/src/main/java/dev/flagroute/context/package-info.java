/**
 * The request's flag decisions ({@link dev.flagroute.context.FlagContext}), how they are made current
 * on a thread ({@link dev.flagroute.context.FlagScope}) and carried to others
 * ({@link dev.flagroute.context.FlagExecutors}).
 */
package dev.flagroute.context;
