from django.urls import path

from . import revisit_views, suggest_views, views, zombie_views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("new/", views.case_create, name="case_create"),
    path("suggest/", suggest_views.case_suggest, name="case_suggest"),
    path("sources/suggest/", suggest_views.source_suggest, name="source_suggest"),
    path("mine/", views.my_tasks, name="my_tasks"),
    path("<int:case_id>/", views.case_detail, name="case_detail"),
    path("<int:case_id>/transition/", views.case_transition, name="case_transition"),
    path("<int:case_id>/link/", views.case_link, name="case_link"),
    path("<int:case_id>/attachments/", views.case_attachment, name="case_attachment"),
    path("<int:case_id>/tasks/", views.task_assign, name="task_assign"),
    path("<int:case_id>/cut-orders/", views.cut_order_issue, name="cut_order_issue"),
    path("<int:case_id>/enforcement/", views.enforcement_add, name="enforcement_add"),
    path("<int:case_id>/blacklist/", views.blacklist_add, name="blacklist_add"),
    path("<int:case_id>/closure/<slug:item>/", views.closure_evidence, name="closure_evidence"),
    path("<int:case_id>/judicial/refer/", views.judicial_refer, name="judicial_refer"),
    path("<int:case_id>/judicial/record/", views.judicial_record, name="judicial_record"),
    path("<int:case_id>/trace/nodes/", views.trace_node, name="trace_node"),
    path("<int:case_id>/trace/edges/", views.trace_edge, name="trace_edge"),
    path("tasks/<int:task_id>/complete/", views.task_complete, name="task_complete"),
    path("cut-orders/<int:order_id>/execute/", views.cut_order_execute, name="cut_order_execute"),
    path("revisits/", revisit_views.revisit_list, name="revisit_list"),
    path("revisits/<int:revisit_id>/complete/", views.revisit_complete, name="revisit_complete"),
    path("files/<int:attachment_id>/", views.attachment_file, name="attachment_file"),
    path("enterprise/<int:enterprise_id>/", views.enterprise_cases, name="enterprise_cases"),
    path("zombies/", zombie_views.zombie_list, name="zombie_list"),
    path("zombies/<int:enterprise_id>/", zombie_views.zombie_detail, name="zombie_detail"),
    path("zombies/<int:enterprise_id>/supervise/", zombie_views.zombie_supervise, name="zombie_supervise"),
    path(
        "zombies/<int:enterprise_id>/restart/",
        zombie_views.restart_request_submit,
        name="restart_request_submit",
    ),
    path(
        "restart-requests/<int:request_id>/decide/",
        zombie_views.restart_request_decide,
        name="restart_request_decide",
    ),
]
