// Opens Razorpay's Standard Checkout with the options the server built (the order, the payer's
// name and email, UPI shown first), and posts the signed result to Mockri, which checks it
// against its own order id before trusting it.
(function () {
  "use strict";
  var button = document.getElementById("razorpay-pay");
  var result = document.getElementById("razorpay-result");
  var status = document.getElementById("razorpay-status");
  var optionsElement = document.getElementById("razorpay-options");
  if (!button || !result || !optionsElement || typeof window.Razorpay !== "function") return;
  var options = JSON.parse(optionsElement.textContent);
  button.addEventListener("click", function () {
    options.handler = function (response) {
      result.elements.razorpay_order_id.value = response.razorpay_order_id;
      result.elements.razorpay_payment_id.value = response.razorpay_payment_id;
      result.elements.razorpay_signature.value = response.razorpay_signature;
      status.textContent = "Payment received. Confirming…";
      result.submit();
    };
    options.modal = { ondismiss: function () { status.textContent = "Payment window closed. You can pay whenever you are ready."; } };
    var checkout = new window.Razorpay(options);
    checkout.on("payment.failed", function (response) {
      status.textContent = "The payment failed: " + (response.error && response.error.description || "please try again") + ".";
    });
    checkout.open();
  });
})();
