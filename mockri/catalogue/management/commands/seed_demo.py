from django.core.management.base import BaseCommand

from mockri.catalogue.demo import DEMO_PASSWORD, seed_demo
from mockri.feedback.demo import feedback_seed_demo
from mockri.interviewers.demo import applications_seed_demo


class Command(BaseCommand):
    help = (
        "Create the demo catalogue, interviewers, logins, interviewer applications and the "
        "demo candidate's scored sessions and reviews (safe to run again)."
    )

    def handle(self, *args, **options):
        logins = seed_demo()
        applications_seed_demo()
        feedback_seed_demo()
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Sign in with:"))
        width = max(len(email) for _, email in logins)
        for role, email in logins:
            self.stdout.write(f"  {email:<{width}}  {DEMO_PASSWORD}   {role}")
