/** The demo's HTML report: what a run did ({@code Timeline}), drawn as one self-contained page ({@code HtmlReport}). */
package dev.flagroute.demo.report;
