from django.contrib import admin
from django.urls import include, path

from byline.service import views as service
from byline.service import websub

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", service.healthz, name="healthz"),
    path("readyz", service.readyz, name="readyz"),
    path("metrics", service.metrics_view, name="metrics"),
    path("websub/<int:pk>/<str:token>", websub.callback, name="websub"),
    path("", include("byline.site.urls")),
]
