from django.apps import AppConfig


class InterviewersConfig(AppConfig):
    name = "mockri.interviewers"
