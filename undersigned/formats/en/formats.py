# British-style dates for English ("19 June 2012"), as campaign texts are written for Europe.
DATE_FORMAT = "j F Y"
YEAR_MONTH_FORMAT = "F Y"
SHORT_DATE_FORMAT = "d/m/Y"
