from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Real Argon2 with the cheapest parameters, so fixtures don't spend a second per user."""

    time_cost = 1
    memory_cost = 8
    parallelism = 1
