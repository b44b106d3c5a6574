/* The public tip form: a submit button that cannot be pressed twice, and "use my position" filling the
   coordinates. Messages come from the data-msg-* attributes of #locate (translated in the template). */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("tip-form"), locate = document.getElementById("locate");
    if (!form || !locate) return;
    var msg = locate.dataset;
    form.addEventListener("submit", function (event) {
      if (event.submitter && event.submitter.name === "pick") return;  // choosing a township, not sending
      var button = document.getElementById("submit-tip");
      button.disabled = true;
      button.textContent = msg.msgSubmitting;
    });
    locate.addEventListener("click", function () {
      var status = document.getElementById("locate-status");
      if (!navigator.geolocation) { status.textContent = msg.msgUnsupported; return; }
      status.textContent = msg.msgLocating;
      navigator.geolocation.getCurrentPosition(function (pos) {
        document.getElementById("id_lat").value = pos.coords.latitude.toFixed(6);
        document.getElementById("id_lon").value = pos.coords.longitude.toFixed(6);
        status.textContent = msg.msgDone;
      }, function () { status.textContent = msg.msgFailed; },
      {enableHighAccuracy: true, timeout: 10000});
    });
  });
})();
