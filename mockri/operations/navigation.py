"""The console's sections, in the order its navigation lists them: (URL name, label). A new
console page adds its line here; its URLs go in operations/urls.py's `console_urls`."""

CONSOLE_SECTIONS: list[tuple[str, str]] = [
    ("operations:home", "Needs attention"),
    ("operations:bookings", "Bookings"),
    ("operations:emails", "Emails"),
    ("operations:grievances", "Privacy requests"),
    ("interviewers:queue", "Applications"),
    ("interviewers:console_list", "Interviewers"),
    ("interviewers:spot_checks", "Spot-checks"),
    ("earnings:console_reliability", "Reliability"),
    ("earnings:console_batches", "Payouts"),
    ("console_reviews:list", "Reviews"),
    ("packs:console", "Packs"),
    ("coupons:console", "Coupons"),
    ("invoices:console", "Invoices"),
    ("operations:metrics", "Metrics"),
]
