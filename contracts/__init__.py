"""The domain of Provider Portal: models and rules, free of Flask.

Everything here takes a SQLAlchemy session as an argument, so the web app, the RQ worker,
the command line and the tests all use it the same way.
"""
