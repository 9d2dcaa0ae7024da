// keel-check's interactive timeline: draws only what is in view on one canvas, so big histories stay fast.
(function () {
  'use strict';
  var root = document.documentElement;
  function fail(message) {
    root.setAttribute('data-rendered', 'error');
    root.setAttribute('data-report-error', String(message));
    var box = document.getElementById('jserror');
    if (box) { box.textContent = 'The interactive timeline failed: ' + message; box.hidden = false; }
  }
  window.addEventListener('error', function (e) { fail(e.message || 'script error'); });
  try { main(); } catch (e) { fail(e && e.stack ? e.stack : e); }

  function main() {
    var ROW = 22, AXIS = 24, LEFT = 92, RIGHT = 8;
    var KIND = ['other', 'linearized', 'window', 'blocked'];
    var FILL = { other: '#90caf9', linearized: '#9fd89f', window: '#ffb74d', blocked: '#ff1744',
      failed: '#e0e0e0', info: '#ce93d8' };
    var data = JSON.parse(document.getElementById('report-data').textContent);
    var canvas = document.getElementById('timeline');
    var lanesBox = document.getElementById('lanes');
    var details = document.getElementById('details');
    var ctx = canvas.getContext('2d');
    var all = data.ops.map(function (a, i) {
      return { id: i, key: a[0], p: a[1], inv: a[2], comp: a[3], type: ['ok', 'fail', 'info'][a[4]],
        kind: KIND[a[5]], f: a[6], input: a[7], output: a[8], lin: a[9], after: a[10] };
    });
    document.getElementById('note').textContent = data.note;
    var view = null, hover = null, pinned = null, shown = null;

    // One key's operations on a rank axis: every distinct event time is one step, so sparse logical
    // times and dense bursts both read well; lanes hold one process at a time (Jepsen replaces a
    // process that timed out by a new one), packed so that a lane is reused once its process is done.
    function layout(key) {
      var ops = all.filter(function (op) { return op.key === key; });
      var times = [];
      ops.forEach(function (op) { times.push(op.inv); if (op.comp >= 0) times.push(op.comp); });
      times.sort(function (a, b) { return a - b; });
      var uniq = [];
      times.forEach(function (t) { if (uniq.length === 0 || uniq[uniq.length - 1] !== t) uniq.push(t); });
      var rank = new Map();
      uniq.forEach(function (t, i) { rank.set(t, i); });
      var procs = new Map();
      ops.forEach(function (op) {
        op.r0 = rank.get(op.inv);
        op.r1 = op.comp >= 0 ? rank.get(op.comp) : Infinity;
        var p = procs.get(op.p);
        // A process that never answered is retired (Jepsen gives the client a new process id): its lane is
        // free again right after the invocation, the dashed tail showing the operation may still take effect.
        var end = op.r1 === Infinity ? op.r0 + 1 : op.r1;
        if (!p) { p = { p: op.p, from: op.r0, to: end, ops: [] }; procs.set(op.p, p); }
        p.from = Math.min(p.from, op.r0); p.to = Math.max(p.to, end); p.ops.push(op);
      });
      var list = Array.from(procs.values()).sort(function (a, b) { return a.from - b.from || a.p - b.p; });
      var laneEnds = [];
      list.forEach(function (p) {
        var lane = -1;
        for (var i = 0; i < laneEnds.length; i++) { if (laneEnds[i] < p.from) { lane = i; break; } }
        if (lane < 0) { lane = laneEnds.length; laneEnds.push(0); }
        laneEnds[lane] = p.to;
        p.lane = lane;
        p.ops.forEach(function (op) { op.lane = lane; });
      });
      var lanes = laneEnds.map(function () { return []; });
      list.forEach(function (p) { lanes[p.lane].push(p); });
      var blocked = ops.filter(function (op) { return op.kind === 'blocked'; })[0] || null;
      return { key: key, ops: ops, times: uniq, lanes: lanes, blocked: blocked,
        span: windowSpan(ops) };
    }

    function windowSpan(ops) {
      var from = Infinity, to = -Infinity;
      ops.forEach(function (op) {
        if ((op.kind === 'window' || op.kind === 'blocked') && op.type !== 'info') {
          from = Math.min(from, op.r0); to = Math.max(to, op.r1);
        }
      });
      return from <= to ? [from, to] : null;
    }

    function width() { return canvas.clientWidth; }
    function x(r) { return LEFT + (r - view.v0) / (view.v1 - view.v0) * (width() - LEFT - RIGHT); }
    function rankAt(px) { return view.v0 + (px - LEFT) / (width() - LEFT - RIGHT) * (view.v1 - view.v0); }
    function maxRank() { return Math.max(1, shown.times.length - 1); }

    function setView(v0, v1) {
      var span = Math.max(4, Math.min(v1 - v0, maxRank() + 2));
      v0 = Math.max(-1, Math.min(v0, maxRank() + 1 - span));
      view = { v0: v0, v1: v0 + span };
      draw();
    }
    function zoom(factor, atPx) {
      var at = atPx === undefined ? (view.v0 + view.v1) / 2 : rankAt(atPx);
      setView(at - (at - view.v0) * factor, at + (view.v1 - at) * factor);
    }
    function pan(fraction) {
      var d = (view.v1 - view.v0) * fraction;
      setView(view.v0 + d, view.v1 + d);
    }
    function showFailure() {
      var b = shown.blocked;
      if (!b) { setView(-1, Math.min(maxRank() + 1, 60)); return; }
      var end = b.r1 === Infinity ? b.r0 + 10 : b.r1;
      var from = shown.span ? Math.max(shown.span[0], b.r0 - 120) : b.r0;
      var to = shown.span ? Math.min(shown.span[1], end + 60) : end;
      var pad = Math.max(6, (to - from) * 0.25);
      setView(from - pad, to + pad);
      var top = AXIS + b.lane * ROW;
      if (top < lanesBox.scrollTop || top + ROW > lanesBox.scrollTop + lanesBox.clientHeight) {
        lanesBox.scrollTop = Math.max(0, top - lanesBox.clientHeight / 2);
      }
    }

    function resize() {
      var ratio = window.devicePixelRatio || 1;
      var h = AXIS + shown.lanes.length * ROW + 4;
      canvas.style.height = h + 'px';
      canvas.width = Math.round(canvas.clientWidth * ratio);
      canvas.height = Math.round(h * ratio);
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    }

    function draw() {
      var w = width(), h = canvas.clientHeight;
      ctx.clearRect(0, 0, w, h);
      ctx.font = '11px system-ui, sans-serif';
      ctx.textBaseline = 'middle';
      var mid = (view.v0 + view.v1) / 2;
      shown.lanes.forEach(function (procs, lane) {
        var y = AXIS + lane * ROW;
        ctx.fillStyle = lane % 2 ? '#f4f4f4' : '#ececec';
        ctx.fillRect(LEFT, y, w - LEFT, ROW);
      });
      if (shown.span) {
        var sx0 = Math.max(LEFT, x(shown.span[0]) - 3), sx1 = Math.min(w, x(shown.span[1]) + 3);
        if (sx1 > sx0) {
          ctx.fillStyle = 'rgba(255, 82, 82, 0.10)';
          ctx.fillRect(sx0, AXIS, sx1 - sx0, h - AXIS);
        }
      }
      axis(w);
      ctx.save();
      ctx.beginPath(); ctx.rect(LEFT, AXIS, w - LEFT, h - AXIS); ctx.clip();
      shown.ops.forEach(function (op) { if (op.kind !== 'blocked') bar(op, w); });
      if (shown.blocked) bar(shown.blocked, w);
      ctx.restore();
      laneLabels(mid);
      root.setAttribute('data-rendered', 'ok');
      root.setAttribute('data-viewport-width', String(window.innerWidth));
      root.setAttribute('data-scroll-width', String(root.scrollWidth));
      var rect = canvas.getBoundingClientRect();
      root.setAttribute('data-canvas-rect', [rect.left, rect.top, rect.width, rect.height]
        .map(Math.round).join(','));
      var b = shown.blocked;
      root.setAttribute('data-failing-visible', String(!!b && x(b.r0) < w && x(b.r1) > LEFT));
    }

    function axis(w) {
      ctx.fillStyle = '#333';
      ctx.fillText('time', 6, AXIS / 2);
      var step = Math.max(1, Math.ceil((view.v1 - view.v0) / Math.max(1, (w - LEFT) / 110)));
      for (var r = Math.ceil(Math.max(0, view.v0) / step) * step; r <= Math.min(view.v1, maxRank()); r += step) {
        var px = x(r);
        ctx.fillStyle = '#999';
        ctx.fillRect(px, AXIS - 5, 1, 5);
        ctx.fillStyle = '#333';
        ctx.fillText(String(shown.times[r]), px + 2, AXIS / 2);
      }
    }

    function laneLabels(mid) {
      shown.lanes.forEach(function (procs, lane) {
        var y = AXIS + lane * ROW;
        var p = procs[0];
        procs.forEach(function (q) { if (q.from <= mid) p = q; });
        ctx.fillStyle = '#fff';
        ctx.fillRect(0, y, LEFT - 2, ROW);
        ctx.fillStyle = '#444';
        ctx.fillText('process ' + p.p + (procs.length > 1 ? ' +' : ''), 4, y + ROW / 2);
      });
    }

    function bar(op, w) {
      if (op.r1 < view.v0 - 1 || op.r0 > view.v1 + 1) return;
      var y = AXIS + op.lane * ROW + 3, bh = ROW - 6;
      var x0 = x(op.r0), fill = op.type === 'fail' ? FILL.failed : op.type === 'info' &&
        op.kind === 'other' ? FILL.info : FILL[op.kind];
      if (op.type === 'info') {
        // May take effect any time after its start: a short solid stub, then dashed to the view's edge.
        var stub = op.r1 === Infinity ? x0 + 8 : Math.max(x0 + 8, x(op.r1));
        ctx.strokeStyle = '#8e24aa'; ctx.lineWidth = 1.5; ctx.setLineDash([5, 4]);
        ctx.beginPath(); ctx.moveTo(stub, y + 1); ctx.lineTo(w, y + 1); ctx.stroke();
        ctx.setLineDash([]);
        box(op, x0, y, stub - x0, bh, fill);
        return;
      }
      box(op, x0, y, Math.max(3, x(op.r1) - x0), bh, fill);
    }

    function box(op, bx, y, bw, bh, fill) {
      var left = Math.max(LEFT - 2, bx), right = Math.min(width() + 2, bx + bw);
      ctx.fillStyle = fill;
      ctx.fillRect(left, y, right - left, bh);
      var marked = op === pinned || op === hover;
      ctx.lineWidth = op.kind === 'blocked' ? 3 : marked ? 2 : 0.6;
      ctx.strokeStyle = op.kind === 'blocked' ? '#7f0000' : marked ? '#000' : '#555';
      if (op.type === 'fail') ctx.setLineDash([3, 2]);
      ctx.strokeRect(left, y, right - left, bh);
      ctx.setLineDash([]);
      var label = ':' + op.f + ' ' + (op.type === 'ok' && op.output !== null ? op.output : op.input);
      var room = right - left - 6;
      if (room > 24) {
        ctx.fillStyle = op.kind === 'blocked' ? '#fff' : '#111';
        ctx.fillText(fit(label, room), left + 3, y + bh / 2);
      }
    }

    function fit(label, room) {
      if (ctx.measureText(label).width <= room) return label;
      var n = Math.max(1, Math.floor(room / 6.2));
      return label.length > n ? label.slice(0, Math.max(1, n - 1)) + '\u2026' : label;
    }

    function opAt(px, py) {
      var lane = Math.floor((py - AXIS) / ROW);
      if (lane < 0 || lane >= shown.lanes.length || px < LEFT) return null;
      var r = rankAt(px), tol = (view.v1 - view.v0) * 4 / Math.max(1, width() - LEFT), best = null;
      shown.lanes[lane].forEach(function (p) {
        p.ops.forEach(function (op) {
          var end = op.type === 'info' ? op.r0 + Math.max(0.5, 8 * (view.v1 - view.v0) / width()) : op.r1;
          if (op.type === 'info' && op.r1 !== Infinity) end = Math.max(end, op.r1);
          if (r >= op.r0 - tol && r <= end + tol && (!best || op.r0 > best.r0)) best = op;
        });
      });
      return best;
    }

    function describe(op) {
      details.textContent = '';
      if (!op) {
        line('', 'Hover over an operation to see it; click to pin it.');
        return;
      }
      var head = document.createElement('div');
      head.className = op === pinned ? 'pinned' : '';
      head.textContent = (op === pinned ? 'pinned: ' : '') + ':' + op.f + ' by process ' + op.p + ' \u2014 ' +
        status(op);
      details.appendChild(head);
      if (data.failingKey !== null) line('key', data.keys[op.key]);
      line('argument', op.input);
      line('result', op.type === 'info' ? 'none: it timed out or never answered (:info)' :
        op.type + ' ' + (op.output === null ? '' : op.output));
      line('invoked', String(op.inv));
      line('completed', op.comp < 0 ? 'never' : String(op.comp) + (op.type === 'info' ? ' (the :info event)' : ''));
      if (op.after !== null) line('state after it', op.after);
      if (op.kind === 'blocked' || op.kind === 'window') {
        line('states before', data.states.join('   |   ') + '  (what the model could be in after the longest ' +
          'linearization, just before the failing operation)');
      }
    }

    function status(op) {
      if (op.kind === 'blocked') return 'the FAILING operation: no order lets it be linearized before it completed';
      if (op.kind === 'window') return 'in the failing window (a candidate to go next when the search got stuck)';
      if (op.kind === 'linearized') return 'linearized as #' + (op.lin + 1) + ' of ' + data.linearizedTotal;
      if (op.type === 'fail') return 'failed: it did not happen';
      if (op.type === 'info') return 'indeterminate: may take effect at any time after its invocation, or never';
      return op.key === 0 ? 'after the failure (not reached by the search)' : 'another key';
    }

    function line(label, text) {
      var div = document.createElement('div');
      if (label) {
        var l = document.createElement('span'); l.className = 'label'; l.textContent = label;
        div.appendChild(l);
        var c = document.createElement('code'); c.textContent = text; div.appendChild(c);
      } else {
        div.textContent = text;
      }
      details.appendChild(div);
    }

    function select(key) {
      shown = layout(key);
      pinned = shown.blocked; hover = null;
      resize();
      showFailure();
      describe(pinned);
    }

    function keyPicker() {
      if (data.failingKey === null) return;
      var pick = document.getElementById('key');
      var counts = data.keys.map(function () { return 0; });
      all.forEach(function (op) { counts[op.key]++; });
      data.keys.forEach(function (k, i) {
        var o = document.createElement('option');
        o.value = String(i);
        o.textContent = k + (i === 0 ? ' (failing)' : '') + ' \u2014 ' + counts[i] + ' ops';
        pick.appendChild(o);
      });
      pick.addEventListener('change', function () { select(Number(pick.value)); });
      document.getElementById('keypick').hidden = false;
    }

    function wire() {
      var drag = null;
      canvas.addEventListener('wheel', function (e) {
        e.preventDefault();
        if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
          pan((e.shiftKey ? e.deltaY : e.deltaX) / Math.max(1, width()));
        } else {
          zoom(e.deltaY > 0 ? 1.25 : 0.8, e.offsetX);
        }
      }, { passive: false });
      canvas.addEventListener('mousedown', function (e) {
        drag = { x: e.clientX, v0: view.v0, v1: view.v1, moved: false };
        canvas.classList.add('dragging');
      });
      window.addEventListener('mousemove', function (e) {
        if (drag) {
          var dx = e.clientX - drag.x;
          if (Math.abs(dx) > 3) drag.moved = true;
          var d = -dx / Math.max(1, width() - LEFT - RIGHT) * (drag.v1 - drag.v0);
          setView(drag.v0 + d, drag.v1 + d);
        }
      });
      window.addEventListener('mouseup', function (e) {
        if (drag && !drag.moved && e.target === canvas) {
          var op = opAt(e.offsetX, e.offsetY);
          pinned = op === pinned ? null : op;
          describe(pinned || hover);
          draw();
        }
        drag = null;
        canvas.classList.remove('dragging');
      });
      canvas.addEventListener('mousemove', function (e) {
        if (drag) return;
        var op = opAt(e.offsetX, e.offsetY);
        if (op !== hover) { hover = op; if (!pinned) describe(hover); draw(); }
      });
      canvas.addEventListener('mouseleave', function () {
        hover = null; if (!pinned) describe(null); draw();
      });
      window.addEventListener('keydown', function (e) {
        if (e.target && e.target.tagName === 'SELECT') return;
        var keys = { '+': function () { zoom(0.8); }, '=': function () { zoom(0.8); }, '-': function () { zoom(1.25); },
          ArrowLeft: function () { pan(-0.2); }, ArrowRight: function () { pan(0.2); }, f: showFailure,
          a: function () { setView(-1, maxRank() + 1); },
          Escape: function () { pinned = null; describe(hover); draw(); } };
        if (keys[e.key]) { e.preventDefault(); keys[e.key](); }
      });
      var buttons = { zoomin: function () { zoom(0.8); }, zoomout: function () { zoom(1.25); },
        left: function () { pan(-0.2); }, right: function () { pan(0.2); }, failure: showFailure,
        all: function () { setView(-1, maxRank() + 1); } };
      Object.keys(buttons).forEach(function (id) {
        document.getElementById(id).addEventListener('click', buttons[id]);
      });
      window.addEventListener('resize', function () { resize(); draw(); });
    }

    keyPicker();
    wire();
    select(0);
  }
})();
