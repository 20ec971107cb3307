import factory
from allauth.account.models import EmailAddress
from django.conf import settings
from django.utils.text import slugify

from mockri.accounts.models import Consent, ConsentSource, User
from mockri.catalogue.models import Company, InterviewerProfile, InterviewType, Language
from mockri.packs.models import Pack

TEST_PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Faker("name", locale="en_IN")
    timezone = "Asia/Kolkata"
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def email_verified(self, create, extracted, **kwargs):
        """Accounts in use have confirmed their address; pass email_verified=False otherwise."""
        if create:
            EmailAddress.objects.create(
                user=self, email=self.email, primary=True, verified=extracted is not False
            )

    @factory.post_generation
    def consented(self, create, extracted, **kwargs):
        """Everyone signed up through the form has accepted the current policy; pass
        consented=False for someone who has not."""
        if create and extracted is not False:
            Consent.objects.create(
                user=self,
                policy_version=settings.PRIVACY_POLICY_VERSION,
                source=ConsentSource.SIGNUP_FORM,
            )


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Company {n}")
    slug = factory.LazyAttribute(lambda obj: slugify(obj.name))


class LanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Language
        django_get_or_create = ["name"]

    name = "English"
    slug = factory.LazyAttribute(lambda obj: slugify(obj.name))


class InterviewerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterviewerProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, is_interviewer=True)
    display_name = factory.SelfAttribute("user.full_name")
    slug = factory.Sequence(lambda n: f"interviewer-{n}")
    headline = "Senior software engineer"
    past_roles = factory.LazyFunction(lambda: [{"role": "Senior Engineer", "company": "Flipkart"}])
    years_experience = 8

    @factory.post_generation
    def companies(self, create, extracted, **kwargs):
        """Names; each becomes (or finds) its Company."""
        if create and extracted:
            self.companies.set([CompanyFactory(name=name) for name in extracted])

    @factory.post_generation
    def languages(self, create, extracted, **kwargs):
        """Names; each becomes (or finds) its Language. None given: none."""
        if create and extracted:
            self.languages.set([LanguageFactory(name=name) for name in extracted])


class InterviewTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterviewType
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Interview type {n}")
    slug = factory.LazyAttribute(lambda obj: slugify(obj.name))
    summary = "One line of scope."
    description = "What happens in this interview."
    duration_minutes = 60
    price_paise = 149_900

    @factory.post_generation
    def interviewers(self, create, extracted, **kwargs):
        if create and extracted:
            self.interviewers.set(extracted)


class PackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pack
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Pack {n}")
    slug = factory.LazyAttribute(lambda obj: slugify(obj.name))
    sessions = 3
    price_paise = 300_000
    validity_days = 60

    @factory.post_generation
    def interview_types(self, create, extracted, **kwargs):
        if create and extracted:
            self.interview_types.set(extracted)
