from django.core.management.base import BaseCommand

from mockri.bookings.open_starts import open_starts_rebuild
from mockri.catalogue.demo import DEMO_CANDIDATE, DEMO_PASSWORD, seed_demo
from mockri.earnings.demo import earnings_seed_demo
from mockri.feedback.demo import feedback_seed_demo
from mockri.interviewers.demo import applications_seed_demo, invited_interviewer_seed_demo
from mockri.invoices.demo import DEMO_COUPON, invoices_seed_demo
from mockri.operations.demo import console_seed_demo
from mockri.packs.demo import DEMO_PACK_COUPON, packs_seed_demo
from mockri.preparation.demo import preparation_seed_demo


class Command(BaseCommand):
    help = (
        "Create the demo catalogue, interviewers (one mid-onboarding) with a month of earnings, "
        "logins, interviewer applications, packs, a coupon and a tax invoice, the demo "
        "candidate's scored sessions, reviews and preparation plan, and the console's page views "
        "and failed email (safe to run again)."
    )

    def handle(self, *args, **options):
        logins = seed_demo()
        applications_seed_demo()
        if invited := invited_interviewer_seed_demo():
            logins.append(invited)
        feedback_seed_demo()
        invoice = invoices_seed_demo(candidate_email=DEMO_CANDIDATE["email"])
        preparation_seed_demo()
        earnings_seed_demo()
        logins += packs_seed_demo()
        console_seed_demo(candidate_email=DEMO_CANDIDATE["email"])
        open_starts_rebuild()  # the slot picker's "any available" week and "soonest free"
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Sign in with:"))
        width = max(len(email) for _, email in logins)
        for role, email in logins:
            self.stdout.write(f"  {email:<{width}}  {DEMO_PASSWORD}   {role}")
        self.stdout.write(
            f"Coupon {DEMO_COUPON} takes 20% off a session, {DEMO_PACK_COUPON} 10% off a pack."
        )
        if invoice is not None:
            self.stdout.write(f"The demo candidate's tax invoice: /invoices/{invoice.pk}/")
