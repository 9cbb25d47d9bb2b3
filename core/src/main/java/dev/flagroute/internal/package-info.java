/**
 * Plumbing between core's packages and flagroute's other modules: codecs bound to routes, the sink
 * they read into, index-based access to routes and contexts, and the rules for names. Not API: the
 * module exports this package to flagroute's own modules only, and it may change in any release.
 */
package dev.flagroute.internal;
