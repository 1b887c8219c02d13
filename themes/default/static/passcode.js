/* Opens passcode-protected material (README, "Passcode-protected material").
   The passcode is stretched with PBKDF2-HMAC-SHA256 and HKDF into a wrapping
   key, which unwraps the group's content key (AES-256-GCM); that key opens the
   page's body and, chunk by chunk, the files it offers. The content key, never
   the passcode, is kept for the browser session, so the group's other pages
   open without asking; "Forget passcode" removes it. Without this script, or
   without WebCrypto, the page keeps its notice and nothing opens. */
(function () {
  "use strict";
  var lock = document.querySelector("[data-passcode-lock]");
  var data = document.querySelector("[data-passcode-envelope]");
  var unlocked = document.querySelector("[data-passcode-unlocked]");
  if (!lock || !data || !unlocked || !window.crypto || !window.crypto.subtle) {
    return;
  }
  var subtle = window.crypto.subtle;
  var encoder = new TextEncoder();
  var envelope = JSON.parse(data.textContent);
  var stored = "bounce-passcode:" + envelope.salt;
  var form = lock.querySelector("[data-passcode-form]");
  var input = form.querySelector("input");
  var button = form.querySelector("button");
  var error = form.querySelector("[data-passcode-error]");
  var status = unlocked.querySelector("[data-passcode-status]");
  /* The files the page offers, by address: known once the body is open. */
  var files = {};

  function bytes(base64) {
    var text = atob(base64);
    var out = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) {
      out[i] = text.charCodeAt(i);
    }
    return out;
  }

  function base64(buffer) {
    var text = "";
    new Uint8Array(buffer).forEach(function (b) {
      text += String.fromCharCode(b);
    });
    return btoa(text);
  }

  function open(key, nonce, data, label) {
    var params = { name: "AES-GCM", iv: nonce, additionalData: encoder.encode(label) };
    return subtle.decrypt(params, key, data);
  }

  /* The content key the passcode unwraps, as raw bytes, or null. */
  async function unwrap(passcode) {
    var salt = bytes(envelope.salt);
    var material = await subtle.importKey("raw", encoder.encode(passcode), "PBKDF2", false, ["deriveBits"]);
    var stretch = { name: "PBKDF2", hash: "SHA-256", salt: salt, iterations: envelope.iterations };
    var bits = await subtle.deriveBits(stretch, material, 256);
    var hkdf = await subtle.importKey("raw", bits, "HKDF", false, ["deriveKey"]);
    var info = { name: "HKDF", hash: "SHA-256", salt: salt, info: encoder.encode("bounce wrapping key v1") };
    var wrapping = await subtle.deriveKey(info, hkdf, { name: "AES-GCM", length: 256 }, false, ["decrypt"]);
    for (var i = 0; i < envelope.keys.length; i++) {
      var wrapped = envelope.keys[i];
      try {
        return await open(wrapping, bytes(wrapped.nonce), bytes(wrapped.data), "bounce wrapped key v1");
      } catch (e) {
        /* Another passcode's: try the next. */
      }
    }
    return null;
  }

  /* The file a link or image in the page points at, if it is sealed. */
  function fileOf(address) {
    try {
      return files[decodeURI(new URL(address, window.location.href).pathname)] || null;
    } catch (e) {
      return null;
    }
  }

  /* Reads a sealed file chunk by chunk: each is its nonce, then the
     ciphertext of up to `envelope.chunk` bytes and GCM's 16-byte tag. */
  async function decrypt(file, key) {
    var response = await fetch(file.url);
    if (!response.ok) {
      throw new Error("HTTP " + response.status);
    }
    var count = Math.max(1, Math.ceil(file.bytes / envelope.chunk));
    var reader = response.body.getReader();
    var pieces = [];
    var have = 0;
    var parts = [];
    var done = false;
    for (var index = 0; index < count; index++) {
      var plain = index < count - 1 ? envelope.chunk : file.bytes - envelope.chunk * (count - 1);
      var size = 12 + plain + 16;
      while (have < size && !done) {
        var next = await reader.read();
        done = next.done;
        if (next.value) {
          pieces.push(next.value);
          have += next.value.length;
        }
      }
      if (have < size) {
        throw new Error("the file is shorter than it should be");
      }
      var chunk = take(pieces, size);
      have -= size;
      var label = file.url + "\n" + index + "/" + count;
      parts.push(new Blob([await open(key, chunk.subarray(0, 12), chunk.subarray(12), label)]));
    }
    return new Blob(parts, { type: "application/octet-stream" });
  }

  /* The first `size` bytes of `pieces`, removed from it. */
  function take(pieces, size) {
    var out = new Uint8Array(size);
    var at = 0;
    while (at < size) {
      var piece = pieces[0];
      var n = Math.min(piece.length, size - at);
      out.set(piece.subarray(0, n), at);
      at += n;
      if (n === piece.length) {
        pieces.shift();
      } else {
        pieces[0] = piece.subarray(n);
      }
    }
    return out;
  }

  async function download(file, key, link) {
    link.setAttribute("aria-busy", "true");
    try {
      var url = URL.createObjectURL(await decrypt(file, key));
      var a = document.createElement("a");
      a.href = url;
      a.download = file.name;
      a.hidden = true;
      document.body.appendChild(a);
      a.click();
      a.remove();
      window.setTimeout(function () {
        URL.revokeObjectURL(url);
      }, 60000);
    } catch (e) {
      status.textContent = file.name + " could not be opened. Reload the page and try again.";
    } finally {
      link.removeAttribute("aria-busy");
    }
  }

  /* Links to sealed files download them opened; images show opened. */
  function wire(root, key) {
    root.querySelectorAll("a[href]").forEach(function (a) {
      var file = fileOf(a.getAttribute("href"));
      if (file) {
        a.addEventListener("click", function (event) {
          event.preventDefault();
          download(file, key, a);
        });
      }
    });
    root.querySelectorAll("img[src]").forEach(function (img) {
      var file = fileOf(img.getAttribute("src"));
      if (file) {
        img.removeAttribute("src");
        decrypt(file, key).then(function (blob) {
          img.src = URL.createObjectURL(blob);
        }, function () {});
      }
    });
  }

  /* The download button of the resource's own file, labelled with the
     resource's title as a public resource's is (the file keeps its name). */
  function offer(file, key) {
    var holder = unlocked.querySelector("[data-passcode-download]");
    var a = document.createElement("a");
    a.className = "button";
    a.href = file.url;
    var title = holder.getAttribute("data-passcode-download") || file.name;
    a.textContent = "Download " + title + " (" + file.type + ", " + file.size + ")";
    holder.appendChild(a);
    holder.hidden = false;
    wire(holder, key);
  }

  /* Opens the body with the raw content key; fails if it is not the key. */
  async function show(raw) {
    var key = await subtle.importKey("raw", raw, "AES-GCM", false, ["decrypt"]);
    var sealed = envelope.body;
    var opened = JSON.parse(new TextDecoder().decode(
      await open(key, bytes(sealed.nonce), bytes(sealed.data), envelope.page)
    ));
    opened.files.forEach(function (file) {
      files[file.url] = file;
      if (file.own) {
        offer(file, key);
      }
    });
    var template = document.createElement("template");
    template.innerHTML = opened.html;
    wire(template.content, key);
    unlocked.querySelector("[data-passcode-body]").appendChild(template.content);
    lock.hidden = true;
    unlocked.hidden = false;
    try {
      window.sessionStorage.setItem(stored, base64(raw));
    } catch (e) {
      /* Storage turned off: the passcode is asked for on each page. */
    }
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    button.disabled = true;
    error.textContent = "";
    var raw = null;
    try {
      raw = await unwrap(input.value.trim().normalize("NFC"));
    } catch (e) {
      raw = null;
    }
    button.disabled = false;
    if (!raw) {
      input.setAttribute("aria-invalid", "true");
      error.textContent = "That passcode did not work";
      input.focus();
      return;
    }
    input.value = "";
    input.removeAttribute("aria-invalid");
    await show(raw);
    status.textContent = "Unlocked. The page's material is below.";
    unlocked.focus();
  });

  unlocked.querySelector("[data-passcode-forget]").addEventListener("click", function () {
    try {
      window.sessionStorage.removeItem(stored);
    } catch (e) {
      /* Nothing was kept. */
    }
    window.location.reload();
  });

  var kept = null;
  try {
    kept = window.sessionStorage.getItem(stored);
  } catch (e) {
    kept = null;
  }
  if (kept) {
    show(bytes(kept)).catch(function () {
      /* A key from before a passcode was withdrawn: ask again. */
      window.sessionStorage.removeItem(stored);
      form.hidden = false;
    });
  } else {
    form.hidden = false;
  }
})();
