/**
 * Rules and constants that core's packages and flagroute's other modules share: the rules for
 * names, the default header names, the baggage members kept on a write, RE2 quoting, and the
 * throwables flagroute never swallows. It depends on no other flagroute package. Not API: the
 * module exports this package to flagroute's own modules only, and it may change in any release.
 */
package dev.flagroute.internal;
