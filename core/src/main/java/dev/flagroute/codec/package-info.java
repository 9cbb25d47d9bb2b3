/**
 * Header codecs: how a {@link dev.flagroute.context.FlagContext} is written into request headers and
 * read back within {@link dev.flagroute.codec.HeaderLimits}, one header per flag, one combined header,
 * or W3C baggage members ({@link dev.flagroute.codec.HeaderCodec}).
 */
package dev.flagroute.codec;
