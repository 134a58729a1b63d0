"""The staff dashboard (``/staff/``): escalations, bookings, the program catalogue, analytics."""
