DROP TABLE monthly_reports;
DROP TABLE frozen_months;
