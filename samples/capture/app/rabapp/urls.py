from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home),
    path("accounts/", include("allauth.urls")),
    path("dashboard/", views.dashboard),
    path("api/project/<int:project_id>/rekap-kebutuhan/", views.rekap_kebutuhan),
    path("api/project/<int:project_id>/rekap-kebutuhan/validate/", views.rekap_validate),
    path("api/project/<int:project_id>/pricing/", views.pricing),
    path("api/project/<int:project_id>/tahapan/unassigned/", views.tahapan_unassigned),
    path("api/project/<int:project_id>/export/rekap-rab/<str:fmt>/", views.export_rekap_rab),
]
