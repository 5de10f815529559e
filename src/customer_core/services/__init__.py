"""Use cases. Each talks only to ports; pick adapters when you build the service."""

from customer_core.ports import ConversationStarter
from customer_core.services.customers import CustomerService
from customer_core.services.directory import CustomerDirectory, Page
from customer_core.services.identity import DuplicateReport, IdentityService
from customer_core.services.inbound import Inbound, Resolution
from customer_core.services.merging import SuspectMerge
from customer_core.services.portfolios import PortfolioService
from customer_core.services.privacy import Erasure, PrivacyService
from customer_core.services.summary import CustomerSummary, SummaryService

__all__ = [
    "ConversationStarter",
    "CustomerDirectory",
    "CustomerService",
    "CustomerSummary",
    "DuplicateReport",
    "Erasure",
    "IdentityService",
    "Inbound",
    "Page",
    "PortfolioService",
    "PrivacyService",
    "Resolution",
    "SummaryService",
    "SuspectMerge",
]
