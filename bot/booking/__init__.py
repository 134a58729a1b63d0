"""Consultation bookings: the slot calendar, the booking rules, and reminders of what was booked."""
