/**
 * Index-based and codec-level access that core's value packages lend their own code: a flag's
 * position in its {@code FlagRoutes} and a {@code FlagContext}'s decisions by that position
 * ({@link dev.flagroute.internal.access.Positions}), and reading and binding the sealed
 * {@code HeaderCodec}'s codecs ({@link dev.flagroute.internal.access.CodecAccess}). Not API: the
 * module exports this package to flagroute's own modules only, and it may change in any release.
 *
 * <p>@cycle-justified dev.flagroute.codec, dev.flagroute.context, dev.flagroute.routes: the value
 * packages keep these operations package-private and lend them here when their classes are
 * initialized (the JDK's "shared secrets" pattern), so this package names their types and they
 * name its access interfaces. The alternative, public methods on {@code FlagRoutes},
 * {@code FlagContext} and the codecs, would put the request path's plumbing into the API.
 */
package dev.flagroute.internal.access;
