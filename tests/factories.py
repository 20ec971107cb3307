import factory
from django.utils.text import slugify

from mockri.accounts.models import User
from mockri.catalogue.models import InterviewerProfile, InterviewType

TEST_PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Faker("name", locale="en_IN")
    timezone = "Asia/Kolkata"
    password = factory.django.Password(TEST_PASSWORD)


class InterviewerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterviewerProfile

    user = factory.SubFactory(UserFactory, is_interviewer=True)
    display_name = factory.SelfAttribute("user.full_name")
    slug = factory.Sequence(lambda n: f"interviewer-{n}")
    headline = "Senior software engineer"
    past_roles = factory.LazyFunction(lambda: [{"role": "Senior Engineer", "company": "Flipkart"}])
    years_experience = 8
    languages = factory.LazyFunction(lambda: ["English", "Hindi"])


class InterviewTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterviewType

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
