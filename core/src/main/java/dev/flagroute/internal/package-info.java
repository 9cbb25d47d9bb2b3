/**
 * Plumbing between core's packages and flagroute's other modules: codecs bound to routes, the sink
 * they read into, index-based access to routes and contexts, the rules for names, the inbound
 * header view adapters show applications (and the baggage members it keeps), and the throwables
 * flagroute never swallows. Not API: the module exports this package to flagroute's own modules
 * only, and it may change in any release.
 */
package dev.flagroute.internal;
