"""Every model is either covered by an app's personal_data module (exported and erased) or
declared here as holding no personal data, with the reason. A new model fails this test until
someone decides which it is."""

from django.apps import apps

from mockri.privacy.registry import personal_data_modules

HOLDS_NO_PERSONAL_DATA = {
    "catalogue.InterviewType": "the catalogue: names, prices, durations",
    "catalogue.Company": "company names and their aliases, curated by staff",
    "catalogue.Language": "language names",
    "bookings.ScheduleVersion": "one counter",
    "sessions.Session": "Django's own table, emptied by accounts/0009: sessions are "
    "accounts.Session, with their user",
    "bookings.OpenStart": "times derived from hours and bookings, rewritten with them: an "
    "erased interviewer's hours go, and their rows with them",
    "bookings.OpenStartCoverage": "one moment",
    "packs.Pack": "staff's pack definitions: names, prices, sessions and validity",
    "bookings.RateLimitCount": "counts under a keyed digest of an address or account, for days",
    "payments.WebhookEvent": "ids, amounts and statuses; the payer's details are dropped",
    "payments.TestGatewayRecord": "the offline gateway's orders: ids, amounts, booking references",
    "meetings.WebhookDelivery": "a body digest, the trigger and the provider's id",
    "privacy.PurgeLog": "counts and booking references",
    "coupons.Coupon": "promotion codes and their rules, by staff",
    "invoices.DocumentCounter": "the last number of each invoice series per year",
    "operations.FunnelDay": "page views per day: counts, nothing about who",
    "privacy.BreachIncident": "what happened, by staff about many people (and which staff)",
    "interviewers.Invitation": "a token digest and times; the person is in the application",
    "preparation.TargetRole": "role names and their interview types, curated by staff",
    "earnings.EarningRate": "rates per interview type, and which staff set them",
    "earnings.PayoutBatch": "a period, a minimum, and which staff made it",
    "auth.Permission": "Django's permission names",
    "auth.Group": "staff groups",
    "contenttypes.ContentType": "model names",
    "django_tasks_database.DBTaskResult": "task names and ids; personal values never go in",
    "socialaccount.SocialApp": "Mockri's own OAuth client",
}


def covered_models() -> dict[str, str]:
    return {
        model._meta.label: label
        for label, module in personal_data_modules().items()
        for model in module.MODELS
    }


def test_every_model_is_exported_and_erased_or_declared_free_of_personal_data():
    covered = covered_models()
    undecided = [
        model._meta.label
        for model in apps.get_models()
        if model._meta.label not in covered and model._meta.label not in HOLDS_NO_PERSONAL_DATA
    ]
    assert undecided == [], (
        "Add these to an app's personal_data.MODELS (with export and erase) or to "
        "HOLDS_NO_PERSONAL_DATA with the reason"
    )


def test_no_model_is_both_covered_and_declared_free():
    assert set(covered_models()) & set(HOLDS_NO_PERSONAL_DATA) == set()


def test_each_personal_data_module_exports_and_erases():
    for module in personal_data_modules().values():
        assert callable(module.export) and callable(module.erase), module.__name__
        assert module.MODELS, module.__name__
