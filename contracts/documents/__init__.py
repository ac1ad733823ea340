"""Documents from plain data: invoice PDFs and statements (WeasyPrint), Peppol UBL e-invoices, CSV/XLSX exports."""
