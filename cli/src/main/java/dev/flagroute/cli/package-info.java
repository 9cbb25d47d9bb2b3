/**
 * The {@code flagroute} command line ({@code generate}, {@code check}, {@code token}), run as
 * {@code java -jar flagroute-cli-<version>.jar}. Not exported: its interface is the command line.
 */
package dev.flagroute.cli;
