// Sends the files chosen in a form marked data-chunked-upload ahead of the form, each in parts
// small enough for one request (Vercel refuses request bodies over 4.5 MB; a file may be 5 MB),
// then posts the form with each file's upload token instead of the file. Without this script,
// or in a browser without fetch, the files go with the form as before.
// The server's side: mockri/bookings/upload_services.py.
(function () {
  "use strict";
  if (!window.fetch || !window.FormData || !window.Promise) return;

  function post(url, body, csrfToken) {
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken, Accept: "application/json" }
    }).then(function (response) {
      if (response.redirected) {
        // To the sign-in page: the session ended while the form was open.
        throw new Error("Your sign-in has ended. Please sign in again, then send the form.");
      }
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          throw new Error(data.error || "The upload failed (" + response.status + "). Please try again.");
        }
        return data;
      });
    });
  }

  function sendFile(form, input, csrfToken, report) {
    var file = input.files[0];
    var start = new FormData();
    start.append("kind", input.dataset.uploadKind);
    start.append("size", String(file.size));
    start.append("name", file.name);
    return post(form.dataset.uploadStart, start, csrfToken).then(function (upload) {
      var chain = Promise.resolve();
      for (var number = 0; number < upload.parts; number += 1) {
        chain = chain.then(sendPart.bind(null, upload, number));
      }
      return chain.then(function () {
        return post(upload.complete_url, new FormData(), csrfToken);
      });
    }).then(function (done) {
      form.elements[input.dataset.uploadToken].value = done.token;
    });

    function sendPart(upload, number) {
      var part = new FormData();
      var from = number * upload.part_size;
      part.append("part", file.slice(from, from + upload.part_size), "part");
      report("Sending " + file.name + " (part " + (number + 1) + " of " + upload.parts + ")…");
      return post(upload.parts_url + number + "/", part, csrfToken);
    }
  }

  document.querySelectorAll("form[data-chunked-upload]").forEach(function (form) {
    var status = form.querySelector("[data-upload-status]");
    var sending = false;
    function report(message) { if (status) status.textContent = message; }

    form.addEventListener("submit", function (event) {
      var inputs = Array.prototype.filter.call(
        form.querySelectorAll("input[type=file][data-upload-kind]"),
        function (input) { return !input.disabled && input.files && input.files.length === 1; }
      );
      if (inputs.length === 0) return; // nothing to send ahead: post the form as it is
      event.preventDefault();
      if (sending) return;
      sending = true;
      var buttons = form.querySelectorAll("button[type=submit]");
      buttons.forEach(function (button) { button.disabled = true; });
      var csrfToken = form.elements.csrfmiddlewaretoken.value;
      inputs.reduce(function (previous, input) {
        return previous.then(function () { return sendFile(form, input, csrfToken, report); });
      }, Promise.resolve()).then(function () {
        report("Files sent. Submitting…");
        // The files went ahead: the form posts only their tokens.
        inputs.forEach(function (input) { input.disabled = true; });
        form.submit();
      }).catch(function (error) {
        sending = false;
        buttons.forEach(function (button) { button.disabled = false; });
        report(error.message);
      });
    });

    // Coming back to this page from the browser's history: the form works again.
    window.addEventListener("pageshow", function () {
      sending = false;
      form.querySelectorAll("input[type=file][data-upload-kind], button[type=submit]").forEach(
        function (element) { element.disabled = false; }
      );
    });
  });
})();
