"""zicht: national referral mechanism and registry for victims of human trafficking."""

__version__ = "0.1.0"
