/// The admin API under `/v1/admin` (administrators only), one ``RouteModule`` per area.
/// Registered by ``buildRouter(services:modules:)``.
enum AdminRoutes {
    /// Every admin module.
    static var all: [any RouteModule] {
        [
            AdminStaffRoutes(), AdminTeamRoutes(), AdminRoleRoutes(), AdminGrantRoutes(), AdminDeviceRoutes(),
            AdminAuditRoutes(), AdminAlertRoutes(), AdminCustomerRoutes(), AdminCanaryRoutes(), AdminInsightRoutes(), AdminChangeRoutes(),
            AdminExportRoutes(),
        ]
    }
}
