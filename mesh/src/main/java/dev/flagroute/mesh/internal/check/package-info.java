/** The format-neutral parts of the drift check: stamped requests, their routing, header names and values. Internal. */
package dev.flagroute.mesh.internal.check;
