// For the test players (HlsEdgePlaybackIT, CaptionsHlsIT): hls.js's own log lines, all levels, as a ring of the
// last 400 (hls.js `debug` takes a logger object; the transmuxer worker forwards its lines to it), and every ERROR
// event in detail: which error, on which fragment (main or subtitle, sn, part, level, discontinuity), hls.js's
// reason and message, and the 60 log lines before it. The ITs print them, so a non-fatal error says what it was.
(function () {
  const started = performance.now();
  const lines = [];
  const errors = [];
  // hls.js's "reload live playlist <n> in <ms> ms": a timed playlist reload without _HLS_msn, which a live LL-HLS
  // player should not need (it blocks on the next part instead).
  const plainReloads = [];

  function stamp() {
    return ((performance.now() - started) / 1000).toFixed(3);
  }

  function keep(level) {
    return function () {
      const line = stamp() + ' ' + level + ' ' + Array.prototype.map.call(arguments, String).join(' ');
      lines.push(line);
      if (line.indexOf('reload live playlist') >= 0 && plainReloads.length < 50) {
        plainReloads.push(line);
      }
      if (lines.length > 400) {
        lines.shift();
      }
    };
  }

  window.diagnostics = {
    logger: {debug: keep('debug'), log: keep('log'), info: keep('info'), warn: keep('warn'), error: keep('error')},
    onError: function (event, data) {
      const frag = data.frag;
      const meta = data.chunkMeta;
      const error = data.error || data.err;
      const video = document.querySelector('video');
      errors.push({
        at: stamp(),
        type: data.type,
        details: data.details,
        fatal: !!data.fatal,
        fragType: frag ? frag.type : null,
        sn: frag ? frag.sn : (meta ? meta.sn : null),
        part: data.part ? data.part.index : (meta ? meta.part : null),
        level: frag ? frag.level : (meta ? meta.level : null),
        cc: frag ? frag.cc : null,
        fragStart: frag && typeof frag.start === 'number' ? frag.start.toFixed(3) : null,
        mediaTime: video ? video.currentTime.toFixed(3) : null,
        reason: data.reason || null,
        message: error ? String(error.message || error) : null,
        before: lines.slice(-60)
      });
    },
    // The errors without their log lines (small enough to return every second).
    errors: function () {
      return errors.slice(0, 30).map(function (e) {
        const copy = Object.assign({}, e);
        delete copy.before;
        return copy;
      });
    },
    // The errors with the log lines before each, for the ITs to print at the end.
    errorsWithContext: function () {
      return errors.slice(0, 30);
    },
    plainReloads: function () {
      return plainReloads.slice();
    },
    lines: function (count) {
      return lines.slice(-count);
    }
  };
})();
