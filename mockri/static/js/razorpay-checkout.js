// Opens Razorpay's Standard Checkout with the order the server created, and posts the signed
// result to Mockri, which checks it against its own order id before trusting it.
(function () {
  "use strict";
  var button = document.getElementById("razorpay-pay");
  var result = document.getElementById("razorpay-result");
  var status = document.getElementById("razorpay-status");
  if (!button || !result || typeof window.Razorpay !== "function") return;
  button.addEventListener("click", function () {
    var checkout = new window.Razorpay({
      key: button.dataset.key,
      amount: button.dataset.amount,
      currency: button.dataset.currency,
      order_id: button.dataset.orderId,
      name: button.dataset.name,
      description: button.dataset.description,
      handler: function (response) {
        result.elements.razorpay_order_id.value = response.razorpay_order_id;
        result.elements.razorpay_payment_id.value = response.razorpay_payment_id;
        result.elements.razorpay_signature.value = response.razorpay_signature;
        status.textContent = "Payment received. Confirming your booking…";
        result.submit();
      },
      modal: { ondismiss: function () { status.textContent = "Payment window closed. Your slot stays held until the time shown."; } }
    });
    checkout.on("payment.failed", function (response) {
      status.textContent = "The payment failed: " + (response.error && response.error.description || "please try again") + ".";
    });
    checkout.open();
  });
})();
