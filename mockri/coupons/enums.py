from django.db import models


class CouponKind(models.TextChoices):
    PERCENT = "percent", "Percent off"
    FLAT = "flat", "Flat amount off"
