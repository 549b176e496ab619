"""The library app's pages, under /protocols/ (mounted in accord.urls)."""

from django.urls import path

from accord.library.views import reviews, search, versions

app_name = "library"
urlpatterns = [
    path("", versions.protocols, name="protocols"),
    path("search/", search.protocol_search, name="protocol_search"),
    path("ask/", search.protocol_ask, name="protocol_ask"),
    path("reviews/", reviews.protocol_reviews, name="protocol_reviews"),
    path("reviews/new/", reviews.protocol_review_new, name="protocol_review_new"),
    path("reviews/<uuid:public_id>/", reviews.protocol_review, name="protocol_review"),
    path(
        "reviews/<uuid:public_id>/report/",
        reviews.protocol_review_report,
        name="protocol_review_report",
    ),
    path(
        "reviews/<uuid:public_id>/report.txt",
        reviews.protocol_review_report_text,
        name="protocol_review_report_text",
    ),
    path("acknowledge/", reviews.protocol_acknowledge, name="protocol_acknowledge"),
    path(
        "<slug:key>/v/<text:label>/acknowledgements/",
        reviews.protocol_acknowledgements,
        name="protocol_acknowledgements",
    ),
    path(
        "<slug:key>/v/<text:label>/acknowledgements/ask/",
        reviews.protocol_acknowledgements_ask,
        name="protocol_acknowledgements_ask",
    ),
    path("import/", versions.protocol_import, name="protocol_import"),
    path("import/<text:token>/", versions.protocol_import_preview, name="protocol_import_preview"),
    path("<slug:key>/v/<text:label>/", versions.protocol_version, name="protocol_version"),
    path(
        "<slug:key>/v/<text:label>/text/",
        versions.protocol_version_text,
        name="protocol_version_text",
    ),
    path(
        "<slug:key>/v/<text:label>/p/<slug:anchor>/",
        versions.protocol_paragraph,
        name="protocol_paragraph",
    ),
    path(
        "<slug:key>/v/<text:label>/coverage/<slug:profile_id>/",
        versions.protocol_coverage,
        name="protocol_coverage",
    ),
    path("<slug:key>/v/<text:label>/approve/", versions.protocol_approve, name="protocol_approve"),
    path(
        "<slug:key>/v/<text:label>/in-force/",
        versions.protocol_put_in_force,
        name="protocol_put_in_force",
    ),
    path(
        "<slug:key>/v/<text:label>/withdraw/", versions.protocol_withdraw, name="protocol_withdraw"
    ),
    path("<slug:key>/compare/", versions.protocol_compare, name="protocol_compare"),
    path("<slug:key>/compare/text/", versions.protocol_compare_text, name="protocol_compare_text"),
    path("<slug:key>/compare/pdf/", versions.protocol_compare_pdf, name="protocol_compare_pdf"),
]
