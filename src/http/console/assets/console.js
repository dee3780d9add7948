/* global document, window, location, fetch, URLSearchParams, FormData, setTimeout, clearTimeout */
// The console's one script, for what a plain form cannot do: the live card preview and the Telegram
// Mini App sign-in. Every page works without it. No libraries, nothing loaded from elsewhere.
(function () {
  'use strict';

  // After a form comes back with mistakes (or a new resident link), take the reader to the summary.
  var focusTarget = document.querySelector('[data-focus]');
  if (focusTarget) focusTarget.focus();

  // --- live preview: post the form's values, swap in the card the server renders
  var form = document.querySelector('form[data-preview]');
  var preview = document.getElementById('card-preview');
  if (form && preview) {
    var timer = null;
    var seq = 0;
    var refresh = function () {
      var mine = ++seq;
      var data = new URLSearchParams(new FormData(form));
      fetch(form.getAttribute('data-preview'), {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: data.toString(),
      })
        .then(function (res) { return res.ok ? res.text() : null; })
        .then(function (markup) {
          if (markup !== null && mine === seq) preview.innerHTML = markup;
        })
        .catch(function () { /* the preview is a nicety; the form still works */ });
    };
    var later = function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 250);
    };
    form.addEventListener('input', later);
    form.addEventListener('change', later);
  }

  // --- Telegram Mini App: Telegram puts initData in the URL's fragment (tgWebAppData), and in
  // Telegram.WebApp when its own script is loaded; we load nothing from Telegram and read either.
  var status = document.querySelector('[data-miniapp]');
  if (status) {
    var initData = '';
    var tg = window.Telegram && window.Telegram.WebApp;
    if (tg && tg.initData) initData = tg.initData;
    if (!initData && location.hash.length > 1) {
      initData = new URLSearchParams(location.hash.slice(1)).get('tgWebAppData') || '';
    }
    var fail = function () { status.textContent = status.getAttribute('data-failed'); };
    if (!initData) {
      fail();
    } else {
      fetch('/console/miniapp/sign-in', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ initData: initData, next: status.getAttribute('data-next') }),
      })
        .then(function (res) { return res.ok ? res.json() : null; })
        .then(function (body) {
          if (body && body.next) location.replace(body.next);
          else fail();
        })
        .catch(fail);
    }
  }
})();
