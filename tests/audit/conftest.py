from tests.api.conftest import make_token  # noqa: F401  (the API tests' token fixture)
