"""Kindred: plan, write and rehearse a family intervention."""

