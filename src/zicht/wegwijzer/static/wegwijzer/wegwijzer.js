/* Wegwijzer: quick exit and the proof of work. Everything works without this file;
   it only makes leaving leave no back-button entry, and solves the check that the
   rate limit asks for. No data leaves the page except through the form itself. */
(function () {
  "use strict";

  // Quick exit: replace this page in the history, so "back" does not return here.
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-quick-exit]") : null;
    if (!link) { return; }
    event.preventDefault();
    document.title = "";
    document.body.hidden = true;
    window.location.replace(link.href);
  });

  // Proof of work (hashcash): find a nonce so that SHA-256(challenge + ":" + nonce)
  // starts with the number of zero bits the challenge names.
  var challengeInput = document.querySelector("[data-pow-challenge]");
  if (!challengeInput || !window.crypto || !window.crypto.subtle || !window.TextEncoder) { return; }
  var form = challengeInput.form;
  var nonceInput = form.querySelector("input[name='pow_nonce']");
  var status = form.querySelector("[data-pow-status]");
  var challenge = challengeInput.value;
  var bits = parseInt(challenge.split(":")[0], 10);
  var encoder = new TextEncoder();
  var solved = false;
  var sendWhenSolved = false;

  function zeroBits(buffer) {
    var bytes = new Uint8Array(buffer);
    var count = 0;
    for (var i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) { count += 8; continue; }
      var value = bytes[i];
      while ((value & 0x80) === 0) { count += 1; value <<= 1; }
      return count;
    }
    return count;
  }

  function search(start) {
    var batch = [];
    for (var nonce = start; nonce < start + 256; nonce++) {
      batch.push(window.crypto.subtle.digest("SHA-256", encoder.encode(challenge + ":" + nonce)));
    }
    return Promise.all(batch).then(function (digests) {
      for (var i = 0; i < digests.length; i++) {
        if (zeroBits(digests[i]) >= bits) { return start + i; }
      }
      return search(start + 256);
    });
  }

  if (status) { status.textContent = status.getAttribute("data-working"); }
  search(0).then(function (nonce) {
    nonceInput.value = String(nonce);
    solved = true;
    if (status) { status.textContent = status.getAttribute("data-done"); }
    if (sendWhenSolved) { form.submit(); }
  });

  form.addEventListener("submit", function (event) {
    if (!solved) {
      event.preventDefault();
      sendWhenSolved = true;
    }
  });
})();
