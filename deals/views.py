from django.shortcuts import render

from .models import Deal


def deal_list(request):
    deals = Deal.objects.live().for_listing()[:100]
    return render(request, "deals/deal_list.html", {"deals": deals})
