"""One settings module, driven by environment variables with safe local defaults.

Everything marked DEVELOPMENT ONLY must be replaced through the environment in
production (see docs/deploy.md).
"""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("ZICHT_VAR_DIR", PROJECT_DIR / "var"))
# The embedded database, the job queue and collected static files live here; a fresh
# clone has no such folder yet, and SQLite cannot create one.
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = os.environ.get("ZICHT_DEBUG", "0") == "1"
# Production (docs/security.md): HTTPS only, secure cookies, HSTS, and no development secret
# accepted. Off by default, so the local demo runs over plain http://127.0.0.1:8000.
PRODUCTION = os.environ.get("ZICHT_PRODUCTION", "0") == "1"
SECRET_KEY = os.environ.get(
    "ZICHT_SECRET_KEY", "DEVELOPMENT-ONLY-secret-key-do-not-use-in-production"
)
ALLOWED_HOSTS = os.environ.get("ZICHT_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

# Field encryption (ADR 0002). Comma-separated Fernet keys, newest first; the
# first one encrypts, all of them decrypt, `zicht keys rotate` re-wraps.
FIELD_ENCRYPTION_KEYS = os.environ.get(
    "ZICHT_FIELD_KEYS",
    # DEVELOPMENT ONLY: a fixed, public key so a fresh clone works.
    "ZGV2ZWxvcG1lbnQtb25seS1maWVsZC1rZXktMDAwMDA=",
).split(",")
BLIND_INDEX_KEY = os.environ.get(
    "ZICHT_BLIND_INDEX_KEY", "DEVELOPMENT-ONLY-blind-index-key"
)
if PRODUCTION:
    _development_secrets = [name for name, value in [
        ("ZICHT_SECRET_KEY", SECRET_KEY), ("ZICHT_BLIND_INDEX_KEY", BLIND_INDEX_KEY),
        ("ZICHT_FIELD_KEYS", ",".join(FIELD_ENCRYPTION_KEYS))]
        if "DEVELOPMENT" in value or value.startswith("ZGV2ZWxvcG1lbnQtb25seS")]
    if _development_secrets or DEBUG:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "ZICHT_PRODUCTION=1 refuses ZICHT_DEBUG=1 and the development secrets; set "
            + (", ".join(_development_secrets) or "ZICHT_DEBUG=0") + " (docs/security.md).")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "zicht.core",
    "zicht.organisations",
    "zicht.audit",
    "zicht.registry",
    "zicht.pathway",
    "zicht.shelters",
    "zicht.actionplan",
    "zicht.demo",
    "zicht.wegwijzer",
    "zicht.linkage",
    "zicht.figures",
    "zicht.privacy",
    "huey.contrib.djhuey",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "zicht.core.middleware.RequestIdMiddleware",
    "zicht.core.middleware.ApiBodySizeMiddleware",
    "zicht.core.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "zicht.organisations.middleware.TwoFactorRequiredMiddleware",
    "zicht.wegwijzer.middleware.PublicStartMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "zicht.core.middleware.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zicht.urls"
WSGI_APPLICATION = "zicht.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zicht.figures.context_processors.figures_menu",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'zicht.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE: every atomic block takes the write lock at once, so the
        # audit hash chain is extended by one writer at a time.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "organisations.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "registry:worklist"
LOGOUT_REDIRECT_URL = "login"

# NCSC guidance: length over complexity, no composition rules, no forced periodic change,
# and no password that is on a list of common (breached) ones.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl"
# The public Wegwijzer speaks all of these; the registry's own pages offer REGISTRY_LANGUAGES.
LANGUAGES = [("nl", _("Dutch")), ("en", _("English")), ("ro", _("Romanian")),
             ("bg", _("Bulgarian")), ("pl", _("Polish")), ("uk", _("Ukrainian"))]
REGISTRY_LANGUAGES = ["nl", "en"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Sessions and CSRF (docs/security.md). A session lasts one working day at most and ends
# with the browser; cookies are never readable by scripts and go over HTTPS only in production.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = PRODUCTION
# Behind a reverse proxy that terminates TLS, sets X-Forwarded-Proto and appends the
# client's address to X-Forwarded-For (docs/deploy.md). Off: both headers are ignored.
BEHIND_PROXY = os.environ.get("ZICHT_BEHIND_PROXY", "0") == "1"
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A load balancer may probe the health endpoint over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]
SECURE_HSTS_SECONDS = int(os.environ.get("ZICHT_HSTS_SECONDS", 63_072_000 if PRODUCTION else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
CSRF_TRUSTED_ORIGINS = [origin for origin in os.environ.get(
    "ZICHT_CSRF_TRUSTED_ORIGINS", "").split(",") if origin]
if PRODUCTION:
    # __Host- cookies are refused by browsers unless secure, host-only and for path /.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# Largest API request body accepted, in bytes; larger bodies get a 413 naming the body.
API_MAX_BODY_BYTES = int(os.environ.get("ZICHT_API_MAX_BODY_BYTES", 256 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = API_MAX_BODY_BYTES

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "zicht.organisations.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "zicht.core.exceptions.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "zicht API",
    "DESCRIPTION": "Registry and referral mechanism for (possible) victims of human trafficking.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from our own static files: no third-party assets, works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several code lists share a field name ("status", "kind"): name each one.
    "ENUM_NAME_OVERRIDES": {
        "VictimStatusEnum": "zicht.pathway.codes.VictimStatus",
        "CaseStatusEnum": "zicht.pathway.codes.CaseStatus",
        "ReferralStatusEnum": "zicht.pathway.codes.ReferralStatus",
        "ReferralPurposeEnum": "zicht.pathway.codes.ReferralPurpose",
        "StageKindEnum": "zicht.pathway.codes.StageKind",
        "DeadlineKindEnum": "zicht.pathway.codes.DeadlineKind",
        "CriminalCaseOutcomeEnum": "zicht.pathway.codes.CriminalCaseOutcome",
        "CaseDecisionEnum": "zicht.pathway.codes.CASE_DECISION_CHOICES",
        "RedressOutcomeEnum": "zicht.pathway.codes.RedressOutcome",
        "ConsentPurposeEnum": "zicht.registry.codes.Purpose",
        "ReviewVerdictEnum": "zicht.linkage.models.ReviewDecision.Verdict",
        "OrganisationKindEnum": "zicht.organisations.models.OrganisationKind",
        "ActionStatusEnum": "zicht.actionplan.codes.ActionStatus",
        "AssignmentStatusEnum": "zicht.actionplan.codes.AssignmentStatus",
        "IndicatorKindEnum": "zicht.actionplan.codes.IndicatorKind",
        "RegionKindEnum": "zicht.actionplan.codes.RegionKind",
        "TargetGroupEnum": "zicht.actionplan.codes.TargetGroup",
        "ExpertiseAreaEnum": "zicht.actionplan.codes.ExpertiseArea",
        "CampaignFormEnum": "zicht.actionplan.codes.CAMPAIGN_FORM_CHOICES",
        "ExploitationFormEnum": "zicht.registry.codes.Form",
        "ConsentStateEnum": "zicht.registry.codes.ConsentState",
        "ConsentStatementEnum": "zicht.actionplan.codes.CONSENT_STATEMENT_CHOICES",
        "ShelterKindEnum": "zicht.shelters.codes.ShelterKind",
        "SafetyLevelEnum": "zicht.shelters.codes.SafetyLevel",
    },
}

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Referral pathway (docs/pathway.md). Organisation kinds that may decide victim status;
# answer time of a referral before it is escalated; when an unanswered one lapses.
PATHWAY_VICTIM_STATUS_DECIDERS = os.environ.get(
    "ZICHT_VICTIM_STATUS_DECIDERS", "police,kmar,labour_inspectorate,ind,comensha").split(",")
PATHWAY_REFERRAL_ANSWER_WORKING_DAYS = int(os.environ.get("ZICHT_REFERRAL_ANSWER_WORKING_DAYS", 2))
PATHWAY_REFERRAL_URGENT_ANSWER_HOURS = int(os.environ.get("ZICHT_REFERRAL_URGENT_ANSWER_HOURS", 24))
PATHWAY_REFERRAL_EXPIRE_DAYS = int(os.environ.get("ZICHT_REFERRAL_EXPIRE_DAYS", 30))
PATHWAY_OTHER_GROUNDS_REVIEW_DAYS = int(os.environ.get("ZICHT_OTHER_GROUNDS_REVIEW_DAYS", 28))

# Retention (docs/privacy.md): after how long `zicht retention apply` anonymises a person
# whose case was closed, a person whose signals were never followed up (no pathway, referral
# or placement), and an anonymous signal of the public guide. 0 switches a kind off.
RETENTION_CLOSED_CASE_YEARS = int(os.environ.get("ZICHT_RETENTION_CLOSED_CASE_YEARS", 7))
RETENTION_UNFOLLOWED_SIGNAL_YEARS = int(os.environ.get("ZICHT_RETENTION_UNFOLLOWED_SIGNAL_YEARS", 5))
RETENTION_ANONYMOUS_SIGNAL_DAYS = int(os.environ.get("ZICHT_RETENTION_ANONYMOUS_SIGNAL_DAYS", 365))

# Wegwijzer (docs/wegwijzer.md): key of the HMACs over client addresses and receipt codes;
# attempts per client per window before a proof of work is asked; its difficulty in bits.
WEGWIJZER_HMAC_KEY = os.environ.get("ZICHT_WEGWIJZER_HMAC_KEY", SECRET_KEY)
WEGWIJZER_RATE_LIMIT = int(os.environ.get("ZICHT_WEGWIJZER_RATE_LIMIT", 5))
WEGWIJZER_RATE_WINDOW_SECONDS = int(os.environ.get("ZICHT_WEGWIJZER_RATE_WINDOW_SECONDS", 600))
WEGWIJZER_POW_BITS = int(os.environ.get("ZICHT_WEGWIJZER_POW_BITS", 16))
WEGWIJZER_QUICK_EXIT_URL = os.environ.get("ZICHT_WEGWIJZER_QUICK_EXIT_URL",
                                          "https://www.weeronline.nl/")

# Figures (docs/figures.md): counts below THRESHOLD are suppressed; zeros shown unless
# SHOW_ZEROS is off. Long reports and exports run as huey tasks (SQLite queue in VAR_DIR;
# `zicht run_huey` works them off; ZICHT_HUEY_IMMEDIATE=1 runs them in-process).
FIGURES = {
    "THRESHOLD": int(os.environ.get("ZICHT_FIGURES_THRESHOLD", 5)),
    "SHOW_ZEROS": os.environ.get("ZICHT_FIGURES_SHOW_ZEROS", "1") == "1",
}
HUEY = {
    "huey_class": "huey.SqliteHuey",
    "name": "zicht",
    "filename": str(VAR_DIR / "huey.sqlite3"),
    "immediate": os.environ.get("ZICHT_HUEY_IMMEDIATE", "0") == "1",
}

# API tokens expire; a new one is made with `zicht user token`.
API_TOKEN_LIFETIME_DAYS = int(os.environ.get("ZICHT_API_TOKEN_LIFETIME_DAYS", 90))

# Two-factor login (docs/security.md): every account, whatever its role, logs in with a
# password and a TOTP code (or one of its backup codes).
OTP_TOTP_ISSUER = os.environ.get("ZICHT_TOTP_ISSUER", "zicht")
# Minutes between the password and the second factor before the login starts over.
TWO_FACTOR_PENDING_MINUTES = 10
TWO_FACTOR_BACKUP_CODES = 10

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords or codes in a row
# for one username, or from one client address, that username or address is locked for the
# cool-off time; a successful login clears the count. `zicht user unlock` or the admin lifts it.
AXES_FAILURE_LIMIT = int(os.environ.get("ZICHT_LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("ZICHT_LOGIN_COOLOFF_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "zicht.organisations.middleware.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "zicht.organisations.views.locked_out"
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password", "code",
                             "csrfmiddlewaretoken"]
AXES_VERBOSE = False

# Content-Security-Policy of every response (zicht.core.middleware); no inline script or
# style, nothing from another origin.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    # Style sheets draw their check marks as inline SVG images.
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

# Operation (docs/deploy.md). Logs: one JSON object per line on stderr, one line per
# request (zicht.request), never a query string or person data. Metrics: django-prometheus
# at /metrics, readable only from ZICHT_METRICS_ALLOWED_IPS (addresses or networks of the
# scraper, comma-separated) or with `Authorization: Bearer $ZICHT_METRICS_TOKEN`.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "zicht.core.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ZICHT_LOG_LEVEL", "WARNING")},
    "loggers": {"zicht.request": {
        "level": os.environ.get("ZICHT_REQUEST_LOG_LEVEL", "INFO")}},
}
INSTALLED_APPS += ["django_prometheus"]
MIDDLEWARE.insert(MIDDLEWARE.index("zicht.core.middleware.RequestIdMiddleware") + 1,
                  "zicht.core.logging.RequestLogMiddleware")
MIDDLEWARE = ["django_prometheus.middleware.PrometheusBeforeMiddleware", *MIDDLEWARE]
# Last but django-axes, which must stay last to turn a lockout into its page.
MIDDLEWARE.insert(MIDDLEWARE.index("axes.middleware.AxesMiddleware"),
                  "django_prometheus.middleware.PrometheusAfterMiddleware")
METRICS_ALLOWED_NETWORKS = [
    ipaddress.ip_network(entry.strip(), strict=False)
    for entry in os.environ.get("ZICHT_METRICS_ALLOWED_IPS", "").split(",") if entry.strip()
]
METRICS_BEARER_TOKEN = os.environ.get("ZICHT_METRICS_TOKEN", "")
# Several machines share one job queue on Redis; the SQLite queue above serves one machine.
if os.environ.get("ZICHT_HUEY_REDIS_URL"):
    HUEY = {"huey_class": "huey.RedisHuey", "name": "zicht", "immediate": HUEY["immediate"],
            "url": os.environ["ZICHT_HUEY_REDIS_URL"]}
