"""Single sign-on by SAML 2.0 (OIOSAML 3): the portal as a service provider, and a test
identity provider for the demo and the tests (test_idp, never imported by the app)."""
