"""Legal grounds for handling a data-subject request (GDPR / AVG)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestKind(models.TextChoices):
    EXPORT = "export", _("Access (export)")
    ERASURE = "erasure", _("Erasure")
    RESTRICTION = "restriction", _("Restriction")
    RESTRICTION_LIFTED = "lifted", _("Restriction lifted")


class LegalGround(models.TextChoices):
    # Art. 15 and 20: access and data portability.
    ACCESS = "art15", _("Art. 15 GDPR: right of access")
    PORTABILITY = "art20", _("Art. 20 GDPR: data portability")
    # Art. 17(1): the grounds for erasure.
    NO_LONGER_NECESSARY = "art17_1_a", _("Art. 17(1)(a): no longer necessary for the purpose")
    CONSENT_WITHDRAWN = "art17_1_b", _("Art. 17(1)(b): consent withdrawn, no other ground")
    OBJECTION = "art17_1_c", _("Art. 17(1)(c): objection upheld")
    UNLAWFUL = "art17_1_d", _("Art. 17(1)(d): processed unlawfully")
    LEGAL_OBLIGATION = "art17_1_e", _("Art. 17(1)(e): erasure required by law")
    # Art. 5(1)(e): storage limitation, applied by `zicht retention apply`.
    RETENTION = "retention", _("Art. 5(1)(e): retention period expired")
    # Art. 18(1): the grounds for restriction.
    ACCURACY_CONTESTED = "art18_1_a", _("Art. 18(1)(a): accuracy contested")
    UNLAWFUL_KEEP = "art18_1_b", _("Art. 18(1)(b): unlawful, but the person asks to keep it")
    LEGAL_CLAIMS = "art18_1_c", _("Art. 18(1)(c): needed by the person for legal claims")
    OBJECTION_PENDING = "art18_1_d", _("Art. 18(1)(d): objection being verified")
    # Art. 18(3): lifting; the person is told beforehand.
    RESTRICTION_ENDED = "art18_3", _("Art. 18(3): ground for restriction no longer applies")


ERASURE_GROUNDS = (LegalGround.NO_LONGER_NECESSARY, LegalGround.CONSENT_WITHDRAWN,
                   LegalGround.OBJECTION, LegalGround.UNLAWFUL, LegalGround.LEGAL_OBLIGATION)
RESTRICTION_GROUNDS = (LegalGround.ACCURACY_CONTESTED, LegalGround.UNLAWFUL_KEEP,
                       LegalGround.LEGAL_CLAIMS, LegalGround.OBJECTION_PENDING)
EXPORT_GROUNDS = (LegalGround.ACCESS, LegalGround.PORTABILITY)
