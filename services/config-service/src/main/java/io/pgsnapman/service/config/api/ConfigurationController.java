package io.pgsnapman.service.config.api;

import io.pgsnapman.events.config.JobState;
import io.pgsnapman.service.config.ConfigurationService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import java.security.Principal;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Servers, dump jobs and restore jobs: create (POST), read (GET), replace (PUT), delete (DELETE); halt and
 * resume a dump job; dump now and restore now. Reads need the viewer role, dump/restore now operator, changes admin.
 */
@RestController
@RequestMapping("/api/v1")
@SecurityRequirement(name = "bearer")
public class ConfigurationController {

    private final ConfigurationService service;

    public ConfigurationController(ConfigurationService service) {
        this.service = service;
    }

    @Tag(name = "servers")
    @Operation(summary = "List servers")
    @GetMapping("/servers")
    public List<Resource<ServerSpec>> servers() {
        return service.servers();
    }

    @Tag(name = "servers")
    @Operation(summary = "Show a server")
    @GetMapping("/servers/{id}")
    public Resource<ServerSpec> server(@PathVariable String id) {
        return service.server(id);
    }

    @Tag(name = "servers")
    @Operation(summary = "Add a server (admin)")
    @PostMapping("/servers")
    public ResponseEntity<Resource<ServerSpec>> createServer(@Valid @RequestBody ServerSpec spec, Principal who) {
        Resource<ServerSpec> saved = service.saveServer(null, spec, who.getName());
        return ResponseEntity.created(URI.create("/api/v1/servers/" + saved.id())).body(saved);
    }

    @Tag(name = "servers")
    @Operation(summary = "Replace a server's configuration (admin)")
    @PutMapping("/servers/{id}")
    public Resource<ServerSpec> updateServer(@PathVariable String id, @Valid @RequestBody ServerSpec spec, Principal who) {
        return service.saveServer(id, spec, who.getName());
    }

    @Tag(name = "servers")
    @Operation(summary = "Delete a server no job uses (admin)")
    @DeleteMapping("/servers/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void deleteServer(@PathVariable String id, Principal who) {
        service.deleteServer(id, who.getName());
    }

    @Tag(name = "dump jobs")
    @Operation(summary = "List dump jobs")
    @GetMapping("/dump-jobs")
    public List<Resource<DumpJobSpec>> dumpJobs() {
        return service.dumpJobs();
    }

    @Tag(name = "dump jobs")
    @Operation(summary = "Show a dump job")
    @GetMapping("/dump-jobs/{id}")
    public Resource<DumpJobSpec> dumpJob(@PathVariable String id) {
        return service.dumpJob(id);
    }

    @Tag(name = "dump jobs")
    @Operation(summary = "Add a dump job (admin)")
    @PostMapping("/dump-jobs")
    public ResponseEntity<Resource<DumpJobSpec>> createDumpJob(@Valid @RequestBody DumpJobSpec spec, Principal who) {
        Resource<DumpJobSpec> saved = service.saveDumpJob(null, spec, who.getName());
        return ResponseEntity.created(URI.create("/api/v1/dump-jobs/" + saved.id())).body(saved);
    }

    @Tag(name = "dump jobs")
    @Operation(summary = "Replace a dump job (admin)")
    @PutMapping("/dump-jobs/{id}")
    public Resource<DumpJobSpec> updateDumpJob(@PathVariable String id, @Valid @RequestBody DumpJobSpec spec, Principal who) {
        return service.saveDumpJob(id, spec, who.getName());
    }

    @Tag(name = "dump jobs")
    @Operation(summary = "Halt a dump job: no more scheduled dumps (admin)")
    @PostMapping("/dump-jobs/{id}/halt")
    public Resource<DumpJobSpec> halt(@PathVariable String id, Principal who) {
        return service.setDumpJobState(id, JobState.HALTED, who.getName());
    }

    @Tag(name = "dump jobs")
    @Operation(summary = "Resume a halted dump job (admin)")
    @PostMapping("/dump-jobs/{id}/resume")
    public Resource<DumpJobSpec> resume(@PathVariable String id, Principal who) {
        return service.setDumpJobState(id, JobState.ACTIVE, who.getName());
    }

    @Tag(name = "dump jobs")
    @Operation(summary = "Delete a dump job no restore job uses (admin); its dumps stay in the catalog")
    @DeleteMapping("/dump-jobs/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void deleteDumpJob(@PathVariable String id, Principal who) {
        service.deleteDumpJob(id, who.getName());
    }

    @Tag(name = "dump jobs")
    @Operation(summary = "Take a dump of the job now (operator); answers with the dump id to follow in the catalog")
    @PostMapping("/dump-jobs/{id}/dump-now")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public ConfigurationService.DumpNow dumpNow(@PathVariable String id,
            @RequestParam(defaultValue = "false") boolean pin, Principal who) {
        return service.dumpNow(id, pin, who.getName());
    }

    @Tag(name = "restore jobs")
    @Operation(summary = "List restore jobs")
    @GetMapping("/restore-jobs")
    public List<Resource<RestoreJobSpec>> restoreJobs() {
        return service.restoreJobs();
    }

    @Tag(name = "restore jobs")
    @Operation(summary = "Show a restore job")
    @GetMapping("/restore-jobs/{id}")
    public Resource<RestoreJobSpec> restoreJob(@PathVariable String id) {
        return service.restoreJob(id);
    }

    @Tag(name = "restore jobs")
    @Operation(summary = "Add a restore job (admin)")
    @PostMapping("/restore-jobs")
    public ResponseEntity<Resource<RestoreJobSpec>> createRestoreJob(@Valid @RequestBody RestoreJobSpec spec, Principal who) {
        Resource<RestoreJobSpec> saved = service.saveRestoreJob(null, spec, who.getName());
        return ResponseEntity.created(URI.create("/api/v1/restore-jobs/" + saved.id())).body(saved);
    }

    @Tag(name = "restore jobs")
    @Operation(summary = "Replace a restore job (admin)")
    @PutMapping("/restore-jobs/{id}")
    public Resource<RestoreJobSpec> updateRestoreJob(@PathVariable String id, @Valid @RequestBody RestoreJobSpec spec,
            Principal who) {
        return service.saveRestoreJob(id, spec, who.getName());
    }

    @Tag(name = "restore jobs")
    @Operation(summary = "Restore now (operator): the job's latest verified source dump, or the given dumpId; "
            + "answers with the request id to follow on restore.completed and in the catalog")
    @PostMapping("/restore-jobs/{id}/restore-now")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public ConfigurationService.RestoreNow restoreNow(@PathVariable String id,
            @RequestParam(required = false) String dumpId, Principal who) {
        return service.restoreNow(id, dumpId, who.getName());
    }

    @Tag(name = "restore jobs")
    @Operation(summary = "Delete a restore job (admin)")
    @DeleteMapping("/restore-jobs/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void deleteRestoreJob(@PathVariable String id, Principal who) {
        service.deleteRestoreJob(id, who.getName());
    }
}
