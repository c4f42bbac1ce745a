/** The caching edge in front of the origin: Debian's nginx with the configuration we ship. */
package io.tribune.hls.edge;
