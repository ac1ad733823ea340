"""The Flask extensions, created unbound and initialised in create_app."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from contracts.models import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# Limits are declared on the views that need them (login); nothing by default. While Redis (the
# storage) is out of reach they are counted in the process's memory instead of failing the
# request; Flask-Limiter goes back to Redis once it answers again.
limiter = Limiter(
    key_func=get_remote_address,
    default_limits=[],
    headers_enabled=True,
    in_memory_fallback_enabled=True,
)
