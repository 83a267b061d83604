from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from zicht.actionplan.api import register as register_programme_api
from zicht.audit.api import AuditEventViewSet
from zicht.core import views as core_views
from zicht.figures.api import register as register_figures_api
from zicht.linkage.api import register as register_linkage_api
from zicht.organisations.api import ApiTokenViewSet, OrganisationViewSet
from zicht.pathway.api import DeadlineViewSet, PathwayViewSet, RedressViewSet, ReferralViewSet
from zicht.privacy.api import register as register_privacy_api
from zicht.registry.api import ConsentViewSet, PersonViewSet, SignalViewSet
from zicht.shelters.api import PlacementViewSet, ShelterViewSet

# API paths that match no route still answer in JSON.
handler404 = "zicht.core.views.page_not_found"
# A database that is full, timed out or gone answers 503 with a message (core/exceptions.py).
handler500 = "zicht.core.views.server_error"

router = DefaultRouter()
router.register("persons", PersonViewSet, basename="person")
router.register("signals", SignalViewSet, basename="signal")
router.register("consents", ConsentViewSet, basename="consent")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("tokens", ApiTokenViewSet, basename="token")
router.register("audit", AuditEventViewSet, basename="audit")
router.register("pathways", PathwayViewSet, basename="pathway")
router.register("referrals", ReferralViewSet, basename="referral")
router.register("deadlines", DeadlineViewSet, basename="deadline")
router.register("redress", RedressViewSet, basename="redress")
router.register("shelters", ShelterViewSet, basename="shelter")
router.register("placements", PlacementViewSet, basename="placement")
register_programme_api(router)
register_figures_api(router)
register_linkage_api(router)
register_privacy_api(router)

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("metrics", core_views.metrics, name="metrics"),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's start-up script as a file of its own: the CSP allows no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    # The admin has no login of its own: it would skip the second factor.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("zicht.organisations.urls")),
    path("audit/", include("zicht.audit.urls")),
    path("pathway/", include("zicht.pathway.urls")),
    path("shelters/", include("zicht.shelters.urls")),
    path("wegwijzer/", include("zicht.wegwijzer.urls")),
    path("linkage/", include("zicht.linkage.urls")),
    path("programme/", include("zicht.actionplan.urls")),
    path("figures/", include("zicht.figures.urls")),
    path("privacy/", include("zicht.privacy.urls")),
    path("", include("zicht.registry.urls")),
]

