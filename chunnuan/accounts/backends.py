from django.contrib.auth.backends import BaseBackend


class PhoneCodeBackend(BaseBackend):
    pass
