// The edit form's helpers: LIX and the summary's character count while typing, and autosave.
// Progressive enhancement only: without this file the server shows both figures and nothing is saved unasked.
(function () {
  'use strict';

  var form = document.querySelector('form[data-editor]');
  if (!form) return;

  // ---- LIX ----
  // A browser copy of src/content/lix.ts (wordsOf, letterCount, sentencesOf, lixLevel, lix). Keep the two in
  // sync: the server's figure, shown when the page loads, must not jump when the person starts typing.

  var WORD = /[\p{L}\p{M}]+(?:[-‐‑][\p{L}\p{M}]+)*/gu;
  var LETTER = /[\p{L}]/gu;
  var LONG_WORD_LETTERS = 7;

  function wordsOf(text) {
    return text.normalize('NFC').match(WORD) || [];
  }

  function letterCount(word) {
    var m = word.normalize('NFC').match(LETTER);
    return m ? m.length : 0;
  }

  function sentencesOf(text) {
    var normalised = text.normalize('NFC');
    var sentences = [];
    var boundary = /([.!?:]+)["'”“’‘»)\]]*(?=\s|$)|\r?\n/gu;
    var start = 0;
    var match;
    while ((match = boundary.exec(normalised)) !== null) {
      var end = match.index + match[0].length;
      if (match[1] === '.') {
        var next = /\S/u.exec(normalised.slice(end));
        if (next && /[\p{Ll}\p{N}]/u.test(next[0])) continue;
      }
      sentences.push(normalised.slice(start, end));
      start = end;
    }
    sentences.push(normalised.slice(start));
    return sentences
      .map(function (s) { return s.trim(); })
      .filter(function (s) { return wordsOf(s).length > 0; });
  }

  function lixLevel(score) {
    if (score < 25) return 'Meget let';
    if (score < 35) return 'Let';
    if (score < 45) return 'Middel';
    if (score < 55) return 'Svær';
    return 'Meget svær';
  }

  function lix(text) {
    var words = wordsOf(text);
    if (words.length === 0) return { score: 0, words: 0, sentences: 0, longWords: 0, level: 'Ingen tekst' };
    var sentences = Math.max(1, sentencesOf(text).length);
    var longWords = words.filter(function (w) { return letterCount(w) >= LONG_WORD_LETTERS; }).length;
    var score = Math.round(words.length / sentences + (100 * longWords) / words.length);
    return { score: score, words: words.length, sentences: sentences, longWords: longWords, level: lixLevel(score) };
  }

  // A close copy of markdownToPlainText (src/content/markdown.ts) without markdown-it: every block (paragraph,
  // heading, list item, quote, table row, code block) becomes a line of its own; lines wrapped inside a paragraph
  // are joined; markup and images are dropped, link texts kept.
  var BLOCK_START = /^\s{0,3}(#{1,6}\s|[-*+]\s|\d{1,9}[.)]\s|>|\|)/;
  function inline(line) {
    return line
      .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/<((?:https?:|mailto:)[^>\s]*)>/g, '$1')
      .replace(/(\*\*|__|\*|_|`)/g, '')
      .replace(/[ \t]{2,}/g, ' ')
      .trim();
  }
  function plainText(markdown) {
    var blocks = [];
    var paragraph = [];
    var fenced = false;
    var flush = function () {
      if (paragraph.length) {
        var text = inline(paragraph.join(' '));
        if (text) blocks.push(text);
      }
      paragraph = [];
    };
    markdown.replace(/\r\n?/g, '\n').split('\n').forEach(function (line) {
      if (/^\s{0,3}(```|~~~)/.test(line)) {
        flush();
        fenced = !fenced;
        return;
      }
      if (fenced) {
        if (line.trim()) blocks.push(line.trim());
        return;
      }
      if (!line.trim() || /^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(line) || /^\s*\|?\s*:?-{3,}/.test(line)) {
        flush();
        return;
      }
      if (BLOCK_START.test(line)) {
        flush();
        var content = line
          .replace(/^\s{0,3}#{1,6}\s+/, '')
          .replace(/\s+#+\s*$/, '')
          .replace(/^\s{0,3}(?:>\s?)+/, '')
          .replace(/^\s*(?:[-*+]|\d{1,9}[.)])\s+/, '');
        if (/^\s*\|/.test(line)) {
          content.split('|').forEach(function (cell) {
            var t = inline(cell);
            if (t) blocks.push(t);
          });
          return;
        }
        paragraph.push(content);
        if (/^\s{0,3}#/.test(line)) flush();
        return;
      }
      paragraph.push(line);
    });
    flush();
    return blocks.join('\n\n');
  }

  var body = form.querySelector('#f-body');
  var out = {
    score: document.querySelector('[data-lix-score]'),
    level: document.querySelector('[data-lix-level]'),
    words: document.querySelector('[data-lix-words]'),
    sentences: document.querySelector('[data-lix-sentences]'),
    longWords: document.querySelector('[data-lix-long]'),
  };
  function showLix() {
    if (!body || !out.score) return;
    var r = lix(plainText(body.value));
    out.score.textContent = r.words ? String(r.score) : '–';
    if (out.level) out.level.textContent = r.level.toLowerCase();
    if (out.words) out.words.textContent = String(r.words);
    if (out.sentences) out.sentences.textContent = String(r.sentences);
    if (out.longWords) out.longWords.textContent = String(r.longWords);
  }
  if (body) body.addEventListener('input', showLix);

  // ---- the summary's character count ----

  var summary = form.querySelector('#f-summary');
  var count = form.querySelector('[data-character-count]');
  var countForReaders = form.querySelector('[data-character-count-sr]');
  var announce;
  function showCount() {
    if (!summary || !count) return;
    var group = summary.closest('[data-maxlength]');
    var max = group ? Number(group.getAttribute('data-maxlength')) : 400;
    var left = max - summary.value.trim().length;
    var message = left >= 0 ? 'Du har ' + left + ' tegn tilbage' : 'Du har ' + -left + ' tegn for meget';
    count.textContent = message;
    count.classList.toggle('limit-exceeded', left < 0);
    // Screen readers hear the count once the person pauses, not at every key.
    clearTimeout(announce);
    announce = setTimeout(function () {
      if (countForReaders) countForReaders.textContent = message;
    }, 1000);
  }
  if (summary) summary.addEventListener('input', showCount);

  // ---- autosave ----

  var url = form.getAttribute('data-autosave');
  if (!url) return;
  var status = form.querySelector('[data-autosave-status]');
  var alertBox = document.querySelector('[data-autosave-alert]');
  var base = form.querySelector('input[name="baseRevision"]');
  var csrf = form.querySelector('input[name="_csrf"]');
  // What the person writes in the note and the major flag belongs to their own save, not to an autosave.
  var IGNORED = { _csrf: true, baseRevision: true, changeNote: true, major: true };

  function snapshot() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (!IGNORED[key] && typeof value === 'string') params.append(key, value);
    });
    return params.toString();
  }

  var lastTried = snapshot();
  var busy = false;
  var stopped = false;

  function say(text) {
    if (status) status.textContent = text;
  }

  function showConflict() {
    if (!alertBox) return;
    var box = document.createElement('div');
    box.className = 'alert alert-warning mh-autosave-alert';
    box.setAttribute('role', 'alert');
    var inner = document.createElement('div');
    inner.className = 'alert-body';
    var heading = document.createElement('p');
    heading.className = 'alert-heading';
    heading.textContent = 'En anden har gemt indholdet, mens du skrev';
    var text = document.createElement('p');
    text.className = 'alert-text';
    text.textContent =
      'Derfor gemmer vi ikke længere automatisk. Intet af det, du har skrevet, er tabt: Når du trykker „Gem“, ser du begge versioner side om side og vælger, hvad der skal stå.';
    inner.appendChild(heading);
    inner.appendChild(text);
    box.appendChild(inner);
    alertBox.appendChild(box);
  }

  function time() {
    return new Date().toLocaleTimeString('da-DK', { hour: '2-digit', minute: '2-digit' });
  }

  var inflight = null;

  function autosave() {
    if (busy || stopped) return;
    var now = snapshot();
    if (now === lastTried) return;
    busy = true;
    lastTried = now;
    var params = new URLSearchParams(now);
    params.append('baseRevision', base ? base.value : '');
    inflight = fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        'csrf-token': csrf ? csrf.value : '',
      },
      body: params.toString(),
    })
      .then(function (res) {
        return res.json().then(
          function (data) { return { status: res.status, data: data }; },
          function () { return { status: res.status, data: null }; }
        );
      })
      .then(function (r) {
        if (r.status === 200 && r.data && typeof r.data.revision === 'number') {
          if (base) base.value = String(r.data.revision);
          say('Gemt automatisk kl. ' + time() + ' (version ' + r.data.revision + ').');
        } else if (r.status === 409) {
          stopped = true;
          say('Automatisk gemning er stoppet.');
          showConflict();
        } else if (r.status === 422) {
          say('Kunne ikke gemme automatisk, fordi noget mangler eller er forkert. Tryk „Gem“ for at se hvad.');
        } else {
          say('Kunne ikke gemme automatisk kl. ' + time() + '. Vi prøver igen, når du skriver videre.');
        }
      })
      .catch(function () {
        say('Kunne ikke gemme automatisk kl. ' + time() + '. Vi prøver igen, når du skriver videre.');
      })
      .then(function () {
        busy = false;
        inflight = null;
      });
  }

  var timer = setInterval(autosave, 5000);
  // The person's own save or preview takes over. One sent while an autosave is on its way would carry the old
  // base revision and meet the autosave as a conflict, so it waits for the answer and its new base revision.
  form.addEventListener('submit', function (event) {
    stopped = true;
    clearInterval(timer);
    if (!inflight) return;
    event.preventDefault();
    var submitter = event.submitter;
    inflight.then(function () {
      if (submitter && form.requestSubmit) form.requestSubmit(submitter);
      else form.submit();
    });
  });
})();
