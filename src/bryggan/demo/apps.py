from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo municipalities (``manage.py seed_demo``): at the top of the layers, since it
    seeds every app."""

    name = "bryggan.demo"
    label = "demo"
