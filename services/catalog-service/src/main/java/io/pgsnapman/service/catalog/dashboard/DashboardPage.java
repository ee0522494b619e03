package io.pgsnapman.service.catalog.dashboard;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Serves the operator dashboard's page at {@code /dashboard/}. The page and its script are open (they hold no data);
 * everything it shows comes from the API with the token the operator enters, kept in the browser's session storage.
 */
@Controller
public class DashboardPage {

    @GetMapping({"/dashboard", "/dashboard/"})
    public String page() {
        return "forward:/dashboard/index.html";
    }
}
