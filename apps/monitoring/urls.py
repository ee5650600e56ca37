from django.urls import path

from apps.monitoring import views_dashboards as dashboards
from apps.monitoring import views_followup as followup

app_name = "monitoring"
urlpatterns: list = [
    # Dashboards, exports and open data (views_dashboards.py).
    path("", dashboards.dashboard, name="dashboard"),
    path("indicadores/<slug:code>/", dashboards.indicator, name="indicator"),
    path("resumen/", dashboards.summary, name="summary"),
    path("exportar/", dashboards.export, name="export"),
    path("resultados/municipios/<str:code>/exportar/", dashboards.municipality_results_export,
         name="municipality_results_export"),
    path("resultados/departamentos/<str:code>/exportar/", dashboards.department_results_export,
         name="department_results_export"),
    path("resultados/entidades/<str:acronym>/exportar/", dashboards.entity_results_export,
         name="entity_results_export"),
    path("datos-abiertos/indicadores.csv", dashboards.open_data, name="open_data"),
    path("datos-abiertos/diccionario/", dashboards.data_dictionary, name="data_dictionary"),
    path("datos-abiertos/diccionario.csv", dashboards.data_dictionary_csv, name="data_dictionary_csv"),
    path("periodos/<int:pk>/cerrar/", dashboards.period_freeze, name="period_freeze"),
    # Follow-up surveys: the personal link's answer page (views_followup.py).
    path("responder/<str:token>/", followup.followup_answer, name="followup_answer"),
]
